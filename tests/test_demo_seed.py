"""The demo scenario, headless: two real vaults seeded, paired through a folder and synced."""

from datetime import date
from pathlib import Path

from trustvault import agreements, stats
from trustvault.demo_seed import build_demo
from trustvault.queries import Queries
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

TODAY = date(2026, 11, 29)


def test_the_demo_pairs_two_seeded_vaults(tmp_path: Path) -> None:
    pair = build_demo(tmp_path, today=TODAY)
    with (
        Vault.unlock(pair.alex, pair.passphrase) as alex,
        Vault.unlock(pair.sam, pair.passphrase) as sam,
    ):
        a, s = SyncService(alex), SyncService(sam)
        assert a.partner().name == "Sam" and s.partner().name == "Alex"
        assert a.partner().safety_number == s.partner().safety_number
        for vault in (alex, sam):  # each sees both partners' shared entries
            authors = {e.author for e in vault.entries.all()}
            assert authors == {alex.device_id, sam.device_id}
        everything = [e for e in sam.entries.all("disclosure") if e.author == alex.device_id]
        told = [e for e in everything if "complete_as_of" not in e.fields]  # not the account
        assert len(told) == 9 and len(everything) == 10  # one of them answers Sam's question
        asked = {q.entry.title: q for q in Queries(alex).questions(TODAY)}
        assert asked["Have you heard from Jordan since the conference?"].answered
        assert not asked["What did you tell yourself at the time?"].answered
        latencies = [stats.latency_days(e.fields) for e in reversed(told)]  # oldest first
        assert latencies == sorted(latencies, reverse=True) and latencies[-1] == 0
        # Each reached Sam's device the evening it was told: the verified figure is the same,
        # on both devices.
        for q in (Queries(alex), Queries(sam)):
            tellings = q.tellings(told)
            verified = [tellings[e.id].days for e in reversed(told)]
            assert verified == latencies and all(tellings[e.id].verified for e in told)
            figures = q.summary(TODAY)["disclosure_latency"]  # the gifts: added to, and late
            assert (figures["amendments"], figures["account_amendments"]) == (1, 1)
        newest = told[0]
        assert [r.state for r in Queries(alex).responses(newest.id)] == ["need_time"]
        assert len(Queries(alex).comments(newest.id)) == 1
        checkin_days = {e.created[:10] for e in alex.entries.all("checkin")}
        assert len(checkin_days) == 24  # spread over twelve weeks, both partners
        events = {e.fields["event_kind"] for e in alex.entries.all("event")}
        assert {"date_night", "therapy"} <= events
        phones = next(e for e in alex.entries.all("agreement") if e.title == "Open phones")
        assert phones.edited
        states = {
            e.title: agreements.status_of(alex, e, TODAY) for e in alex.entries.all("agreement")
        }
        assert states == {
            "Open phones": agreements.IN_FORCE,
            "No contact with Jordan": agreements.DUE_FOR_REVIEW,
            "A pause when we need it": agreements.PROPOSED,
        }
        for q in (Queries(alex), Queries(sam)):  # the plan both accepted, a step down already
            [plan] = q.plans(TODAY)
            assert (plan.standing.status, plan.current) == (agreements.IN_FORCE, 1)
            assert [d.by for d in plan.step_downs] == [alex.device_id]
            assert [n.by for n in plan.needs] == [sam.device_id]

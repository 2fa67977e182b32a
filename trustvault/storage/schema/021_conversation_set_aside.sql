-- Schema 21: a conversation set aside. Once the two devices are no longer paired, a
-- conversation neither finished can never finish (a part goes only to the partner of a
-- pairing); the person may set it aside on their own device so it stops reading as waiting.
-- set_aside is when (UTC ISO), '' while it goes on. Nothing is sent: the pair is gone. What this
-- person wrote stays, on this device only, read-only.
ALTER TABLE conversations ADD COLUMN set_aside TEXT NOT NULL DEFAULT '';

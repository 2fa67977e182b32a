"""The self-hostable relay: mailboxes of sealed envelopes for paired devices (``trustvault-relay``).

    server.py   command line, uvicorn         app.py      HTTP routes (Starlette)
    store.py    SQLite, the only state        auth.py     credential and join-token hashes
    limits.py   sizes, rates, quotas          waiters.py  long-poll wake-ups
    access_log.py  per-request DEBUG log, mailbox as a hashed tag
    connections.py header and body deadlines, the connection cap, the open-file limit

Never imports nacl: it handles only opaque bytes. The client is trustvault.sync.relay_transport.
"""

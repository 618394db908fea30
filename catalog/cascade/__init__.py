"""目录级联: reporting the catalogue up to the next level (目录上报), and 回流 of upper-level records down.

    feed.py       GET /feed: published / updated / withdrawn resources in commit order (audit-log cursor)
    states.py     the states of a reported record at the upper level, as one table
    intake.py     the upper level stores what a lower level pushes; its coordinator registers or rejects
    origins.py    provenance of resources that came from another level; such resources are read-only here
    downflow.py   回流: a lower level applies the upper level's records of subscribed classifications
    upstream.py   the HTTP client of the upstream (the only part that talks to another instance)
    rounds.py     one push / pull round, with cursors kept in the database; the worker in `mulu serve`

Every cursor lives in the database (`cascade_cursors`); pushing a batch twice changes nothing (each
feed entry is applied once per origin and code, ordered by the origin's cursor). May import catalog's
registry, departments, audit_log, auth and models; never api/ or cli/.
"""

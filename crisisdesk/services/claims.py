"""Taking one queued row (an outbox email, a public reply) for work, so that two workers never both send it."""
from sqlalchemy import update

from crisisdesk.extensions import db


def claim_due(model, row_id, now, *ready):
    """Move the row to `sending` (claimed now, one attempt more) with one conditional UPDATE; the row, or None.

    `ready` are the conditions that make it takeable (its waiting status, its due time). Of two workers
    racing for the same row exactly one UPDATE matches, on every database, without holding a lock.
    """
    taken = db.session.execute(
        update(model)
        .where(model.id == row_id, *ready)
        .values(status="sending", claimed_at=now, attempts=model.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if taken != 1:
        return None
    return db.session.get(model, row_id, populate_existing=True)

"""The columns of a text posted under a review through the bridge (services/bridge_posts.py delivers it).

Shared by a case's public reply (CaseReply) and the answer to a review without a case (ReviewAnswer), so one
delivery machinery can claim, post, retry and sweep both: the text and its language, where the delivery stands,
and what WordPress made of it.
"""
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now


class PostedUnderReview:
    language = db.Column(db.String(8), nullable=False)
    content = db.Column(db.Text, nullable=False)
    status = db.Column(db.String(20), nullable=False, default="pending")  # pending → sending → posted | failed …
    attempts = db.Column(db.Integer, nullable=False, default=0)
    claimed_at = db.Column(UTCDateTime)  # when a worker took it; a stale claim is swept back
    next_attempt_at = db.Column(UTCDateTime)
    remote_comment_id = db.Column(db.Integer)  # the WordPress comment holding the text
    last_error = db.Column(db.Text)
    # When the agent pressed Send: the delivery gives up 4 days from here.
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    delivered_at = db.Column(UTCDateTime)

"""Product reviews and the history of their rating, text and status."""
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now


class Review(db.Model):
    __tablename__ = "reviews"
    __table_args__ = (
        db.UniqueConstraint("shop_id", "remote_id"),
        # Reviews written in a span, per shop: the dashboard's monthly table and negative-review counts.
        db.Index("ix_reviews_shop_created", "shop_id", "created_at"),
        # Reviews that name their order (`_review_order_id`): did a review request get its review?
        db.Index("ix_reviews_shop_order", "shop_id", "remote_order_id"),
        # Reviews held for moderation the longest (services/moderation_watch): the warning job and the dashboard.
        db.Index("ix_reviews_shop_held", "shop_id", "held_since"),
        # The case page's reviews of the customer, newest first (services/inbox.case_context).
        db.Index("ix_reviews_shop_customer", "shop_id", "customer_id", "created_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    remote_id = db.Column(db.Integer, nullable=False)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id", ondelete="SET NULL"), index=True)
    remote_product_id = db.Column(db.Integer, nullable=False)
    customer_id = db.Column(db.Integer, db.ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    reviewer_name = db.Column(db.String(200), nullable=False, default="")
    reviewer_email = db.Column(db.String(254), nullable=False, default="")
    rating = db.Column(db.Integer, nullable=False, default=0)
    text = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.String(20), nullable=False)
    verified = db.Column(db.Boolean, nullable=False, default=False)
    # WooCommerce 10.8+ stores the order a review request came from as comment meta `_review_order_id`.
    remote_order_id = db.Column(db.Integer)
    created_at = db.Column(UTCDateTime)
    # Reviews have no date_modified_gmt in REST v3; this holds it when sent, else the event's time.
    source_modified_at = db.Column(UTCDateTime)
    source_observed_at = db.Column(UTCDateTime)  # when that state was seen: breaks ties of equal stamps
    # Awaiting moderation in WordPress (status "hold") since when; None for any other status (services/catalog).
    held_since = db.Column(UTCDateTime)
    # When the staff were warned that this negative review stays held (services/moderation_watch); reset with held_since.
    moderation_warned_at = db.Column(UTCDateTime)

    product = db.relationship("Product")
    customer = db.relationship("Customer")
    revisions = db.relationship("ReviewRevision", back_populates="review", order_by="ReviewRevision.id",
                                cascade="all, delete-orphan")


class ReviewRevision(db.Model):
    """What a review said at one moment; a new row whenever rating, text or status changes."""

    __tablename__ = "review_revisions"

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False, index=True)
    review_id = db.Column(db.Integer, db.ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False, index=True)
    rating = db.Column(db.Integer, nullable=False)
    text = db.Column(db.Text, nullable=False)
    status = db.Column(db.String(20), nullable=False)
    source_modified_at = db.Column(UTCDateTime)
    recorded_at = db.Column(UTCDateTime, nullable=False, default=utc_now)

    review = db.relationship("Review", back_populates="revisions")

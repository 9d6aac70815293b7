"""The improvement log ("you said, we did"): a change the shop made because of feedback, with the causes,
products and cases that prompted it, and an optional short public note (domain/improvements.py).

Products and cases are link tables, not JSON lists of ids: a deleted product or case drops out by itself, and a
case page can find the improvements it prompted. The causes stay a JSON list of cause names, as on Case.
"""
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now

improvement_products = db.Table(
    "improvement_products",
    db.Column("improvement_id", db.Integer, db.ForeignKey("improvements.id", ondelete="CASCADE"), primary_key=True),
    db.Column("product_id", db.Integer, db.ForeignKey("products.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)

improvement_cases = db.Table(
    "improvement_cases",
    db.Column("improvement_id", db.Integer, db.ForeignKey("improvements.id", ondelete="CASCADE"), primary_key=True),
    db.Column("case_id", db.Integer, db.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Improvement(db.Model):
    __tablename__ = "improvements"
    __table_args__ = (
        # The log of a shop, newest change first; and its public page (published notes only).
        db.Index("ix_improvements_shop_made", "shop_id", "made_on"),
    )

    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    area = db.Column(db.String(30), nullable=False)  # one of domain.improvements.AREAS
    description = db.Column(db.Text, nullable=False, default="")  # what changed, for the team
    made_on = db.Column(db.Date, nullable=False)  # the day the change took effect: the effect pivots on it
    causes = db.Column(db.JSON, nullable=False, default=list)  # cause names (domain.causes), as on Case
    public_note = db.Column(db.Text, nullable=False, default="")
    published_at = db.Column(UTCDateTime)  # None: not on the shop's public "You said, we did" page
    created_by = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utc_now, onupdate=utc_now)

    shop = db.relationship("Shop")
    author = db.relationship("User")
    products = db.relationship("Product", secondary=improvement_products, order_by="Product.name")
    cases = db.relationship("Case", secondary=improvement_cases, order_by="Case.id",
                            backref=db.backref("improvements", order_by="Improvement.made_on.desc()"))

    @property
    def is_published(self):
        return self.published_at is not None

"""Panel accounts, their roles and the shops they may see."""
import secrets

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models.types import UTCDateTime, utc_now

memberships = db.Table(
    "memberships",
    db.Column("user_id", db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    db.Column("shop_id", db.Integer, db.ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True),
)


def new_session_token():
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False, default="")
    role = db.Column(db.String(16), nullable=False)
    password_hash = db.Column(db.String(256), nullable=False)
    language = db.Column(db.String(8), nullable=False, default="en")
    is_enabled = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utc_now)
    last_login_at = db.Column(UTCDateTime)
    # Part of what the session and "keep me logged in" cookies carry (get_id): logging out replaces it, so copies
    # of those signed cookies stop working (services/users.py end_sessions).
    session_token = db.Column(db.String(64), nullable=False, default=new_session_token)

    shops = db.relationship("Shop", secondary=memberships, order_by="Shop.name")

    def get_id(self):
        """What Flask-Login writes into the session and the remember cookie: the id and the session token."""
        return f"{self.id}:{self.session_token}"

    def set_password(self, password):
        # scrypt (werkzeug's default): memory-hard, salted, parameters stored in the hash.
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self):
        return self.is_enabled

    @property
    def role_enum(self):
        return Role(self.role)

    def can(self, needed_role):
        return self.role_enum.includes(Role(needed_role))

    @property
    def display_name(self):
        return self.name or self.email


class LoginAttempt(db.Model):
    """One login try; failures in a recent window throttle that email and that address."""

    __tablename__ = "login_attempts"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, index=True)
    ip = db.Column(db.String(64), nullable=False, index=True)
    succeeded = db.Column(db.Boolean, nullable=False)
    at = db.Column(UTCDateTime, nullable=False, default=utc_now, index=True)

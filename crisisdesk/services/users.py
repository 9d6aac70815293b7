"""Panel accounts: create, authenticate (with throttling), sessions, change shop access."""
import hmac
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from werkzeug.security import check_password_hash, generate_password_hash

from crisisdesk import clock
from crisisdesk.domain.actor import Actor
from crisisdesk.domain.errors import Conflict, Invalid, Throttled
from crisisdesk.domain.roles import ROLE_NAMES, Role
from crisisdesk.extensions import db
from crisisdesk.models import LoginAttempt, Shop, User
from crisisdesk.models.user import new_session_token
from crisisdesk.services import audit

MIN_PASSWORD_LENGTH = 12
PANEL_LANGUAGES = ("en", "pl")  # the panel's catalogues (translations/); web/i18n.py names them
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


def normalise_email(email):
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise Invalid(f"not a valid email address: {error}", "email") from None


def check_password_strength(password, email=""):
    """Returns an error message or None. Length beats composition rules (NIST SP 800-63B)."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if email and password.lower() == email.lower():
        return "the password must not be the email address"
    if len(set(password)) < 4:
        return "the password is too repetitive"
    return None


def create_user(email, role, password, actor, shop_ids=None, name="", language="en"):
    """A new account; agents and viewers get access to `shop_ids` (owners see every shop)."""
    email = normalise_email(email)
    if role not in ROLE_NAMES:
        raise Invalid(f"role must be one of {', '.join(ROLE_NAMES)}", "role")
    _check_language(language)
    problem = check_password_strength(password, email)
    if problem:
        raise Invalid(problem, "password")
    if User.query.filter_by(email=email).first():
        raise Conflict(f"a user with the email {email} already exists", "email")
    user = User(email=email, role=role, name=(name or "").strip(), language=language)
    user.set_password(password)
    user.shops = _shops(shop_ids or [])
    db.session.add(user)
    audit.record(actor, "user.created", user, email=email, role=role, shops=[s.id for s in user.shops])
    db.session.commit()
    return user


def set_user_access(user_id, role, shop_ids, actor, language=None):
    """Change a user's role and shops, and their panel language when given (owner only; the web layer checks)."""
    user = db.session.get(User, user_id)
    if user is None:
        raise Invalid("no such user", "user")
    if role not in ROLE_NAMES:
        raise Invalid(f"role must be one of {', '.join(ROLE_NAMES)}", "role")
    if user.role == Role.OWNER.value and role != Role.OWNER.value and _owner_count() == 1:
        raise Conflict("the last owner cannot be demoted", "role")
    if language is not None:
        _check_language(language)
    shops = _shops(shop_ids)  # before any change, so an unknown shop leaves the user as it was
    before = {"role": user.role, "shops": [s.id for s in user.shops]}
    after = {"role": role, "shops": [s.id for s in shops]}
    if language and language != user.language:  # the language is logged only when it changes
        before["language"], after["language"] = user.language, language
        user.language = language
    user.role = role
    user.shops = shops
    audit.record(actor, "user.access_changed", user, before=before, after=after)
    db.session.commit()
    return user


def set_language(user_id, language, actor):
    """The panel language a person chose for themselves (My account); audited like other account changes."""
    _check_language(language)
    user = db.session.get(User, user_id)
    if user is None:
        raise Invalid("no such user", "user")
    # Recorded on every save, unchanged or not: the log shows who chose what, and when.
    audit.record(actor, "user.language_set", user, before=user.language, after=language)
    user.language = language
    db.session.commit()
    return user


def _check_language(language):
    if language not in PANEL_LANGUAGES:
        raise Invalid(f"language must be one of {', '.join(PANEL_LANGUAGES)}", "language")


def authenticate(email, password, ip, max_failures, lockout_minutes):
    """The user for these credentials, or None; raises Throttled after too many recent failures.

    Failures are counted per email and per address, so one attacker cannot lock out
    everyone and one account cannot be guessed from many addresses either.
    """
    email = (email or "").strip().lower()
    now = clock.utcnow()
    since = now - timedelta(minutes=lockout_minutes)
    recent = LoginAttempt.query.filter(LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False))
    if (recent.filter_by(email=email).count() >= max_failures
            or recent.filter_by(ip=ip).count() >= max_failures * 4):
        raise Throttled(f"too many failed logins; try again in {lockout_minutes} minutes")
    user = User.query.filter_by(email=email).first()
    if user is None:
        # Hash anyway, so the answer takes as long for an unknown email as for a wrong password.
        check_password_hash(_DUMMY_HASH, password or "")
    ok = user is not None and user.is_enabled and user.check_password(password or "")
    db.session.add(LoginAttempt(email=email[:254], ip=ip[:64], succeeded=ok, at=now))
    if ok:
        user.last_login_at = now
        audit.record(audit_actor(user, ip), "user.logged_in", user)
    db.session.commit()
    return user if ok else None


def user_for_session(session_id):
    """The account a session or remember cookie names ("<id>:<token>", User.get_id), or None once a logout has
    replaced that token, and for a cookie from before accounts had one."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def end_sessions(user_id):
    """Log the account out everywhere: a new session token, so no copy of its cookies works any more."""
    user = db.session.get(User, user_id)
    if user is not None:
        user.session_token = new_session_token()
        db.session.commit()


def audit_actor(user, ip=""):
    return Actor(label=user.email, user_id=user.id, ip=ip)


def _owner_count():
    return User.query.filter_by(role=Role.OWNER.value).count()


def _shops(shop_ids):
    ids = [int(i) for i in shop_ids]
    shops = Shop.query.filter(Shop.id.in_(ids)).all() if ids else []
    missing = set(ids) - {s.id for s in shops}
    if missing:
        raise Invalid(f"no shop with id {sorted(missing)[0]}", "shops")
    return shops

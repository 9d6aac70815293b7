"""Which shops a user may see. Every panel query goes through here, so a view that
forgot its decorator still cannot show another shop's data."""
from sqlalchemy import and_, or_

from crisisdesk.domain.errors import Forbidden, NotFound
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import Shop, User


def visible_shop_ids(user):
    """Owners administer the whole service; agents and viewers see the shops they belong to."""
    if user.role_enum is Role.OWNER:
        return [row[0] for row in db.session.query(Shop.id).all()]
    return [shop.id for shop in user.shops]


def visible_shops(user):
    ids = visible_shop_ids(user)
    if not ids:
        return []
    return Shop.query.filter(Shop.id.in_(ids)).order_by(Shop.name).all()


def require_role(user, role):
    if not user.can(role):
        raise Forbidden(f"this needs the {Role(role).value} role")


def get_shop(user, shop_id, role=Role.VIEWER):
    """The shop, if the user may act on it with `role`; NotFound hides shops they cannot see."""
    # Visibility first: a viewer of another shop must get NotFound, not a Forbidden that confirms the id exists.
    if shop_id not in visible_shop_ids(user):
        raise NotFound("no such shop")
    require_role(user, role)
    return db.session.get(Shop, shop_id)


def get_shop_record(user, model, record_id, missing, role=Role.VIEWER):
    """A row of `model` (which has a shop_id) if its shop is visible to the user with `role`; NotFound(`missing`)
    for an unknown id and for another shop's row alike, so ids of other shops are never confirmed."""
    record = db.session.get(model, record_id)
    if record is None or record.shop_id not in visible_shop_ids(user):
        raise NotFound(missing)
    require_role(user, role)
    return record


def shop_workers(shop_id):
    """Enabled people who may work this shop's cases (owners, and agents who belong to it): one query."""
    return (User.query.filter(User.is_enabled.is_(True),
                              or_(User.role == Role.OWNER.value,
                                  and_(User.role == Role.AGENT.value, User.shops.any(Shop.id == shop_id))))
            .order_by(User.email).all())

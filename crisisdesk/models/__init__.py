"""All models, re-exported so Alembic and the services see one metadata."""
from crisisdesk.models.alert import CrisisAlert
from crisisdesk.models.at_risk import AtRiskOrder
from crisisdesk.models.audit import AuditEntry
from crisisdesk.models.case import Case, CaseEvent
from crisisdesk.models.case_remedy import CaseRemedy
from crisisdesk.models.case_work import CaseReply, CauseCorrection, SlaNotification
from crisisdesk.models.compensation import Compensation, PolicyRule
from crisisdesk.models.commerce import Customer, Order, OrderItem, Product, Refund
from crisisdesk.models.improvement import Improvement
from crisisdesk.models.incident import Incident, IncidentCase, IncidentChecklistTick, IncidentUpdate
from crisisdesk.models.inbound import InboundEvent
from crisisdesk.models.outreach import EmailSuppression, OutboxEmail, Recovery
from crisisdesk.models.review import Review, ReviewRevision
from crisisdesk.models.review_answer import ReviewAnswer
from crisisdesk.models.review_flag import ReviewFlag
from crisisdesk.models.shop import Shop, ShopSecret, new_shared_secret
from crisisdesk.models.user import LoginAttempt, User, memberships

__all__ = [
    "AtRiskOrder", "AuditEntry", "Case", "CaseEvent", "CaseRemedy", "CaseReply", "CauseCorrection", "SlaNotification", "CrisisAlert", "Compensation", "PolicyRule", "Customer", "EmailSuppression", "Improvement", "Incident", "IncidentCase",
    "IncidentChecklistTick", "IncidentUpdate", "InboundEvent",
    "LoginAttempt", "Order", "OrderItem", "OutboxEmail", "Product", "Recovery", "Refund", "Review", "ReviewAnswer", "ReviewFlag", "ReviewRevision", "Shop", "ShopSecret", "User", "memberships",
    "new_shared_secret",
]

"""panel indexes: a customer's orders, reviews and cases on the case page, newest first; a case's replies by channel
and status for the dashboard

Revision ID: 0015_panel_indexes
Revises: 0014_retention
Create Date: 2026-12-05 12:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015_panel_indexes'
down_revision = '0014_retention'
branch_labels = None
depends_on = None

# Measured with bench/panel_scale.py: without them the case page's customer history walked the whole shop's
# cases and reviews by date (the (shop_id, opened_at) / (shop_id, created_at) indexes) looking for one customer.
INDEXES = [
    ('ix_orders_shop_customer', 'orders', ['shop_id', 'customer_id', 'created_at']),
    ('ix_reviews_shop_customer', 'reviews', ['shop_id', 'customer_id', 'created_at']),
    ('ix_cases_shop_customer', 'cases', ['shop_id', 'customer_id', 'opened_at']),
    # Replaces ix_case_replies_case_id (it starts with case_id): the dashboard's answered rate asks, per review,
    # whether its case has a posted public reply, and the index answers that without reading the replies.
    ('ix_case_replies_case_channel_status', 'case_replies', ['case_id', 'channel', 'status']),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    op.drop_index('ix_case_replies_case_id', table_name='case_replies')


def downgrade():
    op.create_index('ix_case_replies_case_id', 'case_replies', ['case_id'], unique=False)
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)

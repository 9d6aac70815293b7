"""dashboard indexes: cases opened/resolved, reviews written, money spent and recoveries, per shop and time

Revision ID: 0006_dashboard_indexes
Revises: 0005_crisis_alerts
Create Date: 2026-12-04 18:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006_dashboard_indexes'
down_revision = '0005_crisis_alerts'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_cases_shop_opened', 'cases', ['shop_id', 'opened_at']),
    ('ix_cases_shop_resolved', 'cases', ['shop_id', 'resolved_at']),
    ('ix_reviews_shop_created', 'reviews', ['shop_id', 'created_at']),
    ('ix_compensations_shop_state_finished', 'compensations', ['shop_id', 'state', 'finished_at']),
    ('ix_recoveries_shop_resolved', 'recoveries', ['shop_id', 'resolved_at']),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)

"""retention: the shop's retention period for finished cases, and when a case's personal data was anonymised

Revision ID: 0014_retention
Revises: 0013_improvements
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_retention'
down_revision = '0013_improvements'
branch_labels = None
depends_on = None


def upgrade():
    # NULL for every existing shop: retention stays off until an owner chooses a period (domain/retention.py).
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), nullable=True))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_cases_shop_anonymised', ['shop_id', 'anonymised_at'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_shop_anonymised')
        batch_op.drop_column('anonymised_at')

    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('retention_months')

"""case remedies: what was fixed, changed or offered without money on a case, apart from its compensation

Revision ID: 0008_case_remedies
Revises: 0007_review_flags
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_case_remedies'
down_revision = '0007_review_flags'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_remedies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_remedies_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_case_remedies_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_case_remedies_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_remedies')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_case_remedies_idempotency_key'))
    )
    with op.batch_alter_table('case_remedies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_remedies_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_remedies_shop_id'), ['shop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_remedies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_remedies_shop_id'))
        batch_op.drop_index(batch_op.f('ix_case_remedies_case_id'))

    op.drop_table('case_remedies')

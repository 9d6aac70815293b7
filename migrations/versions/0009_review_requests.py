"""review requests: the shop setting (off by default), the order an outbox email is about, and the indexes
the scheduler and the ratings page read

Revision ID: 0009_review_requests
Revises: 0008_case_remedies
Create Date: 2026-12-06 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_review_requests'
down_revision = '0008_case_remedies'
branch_labels = None
depends_on = None


def upgrade():
    # Server defaults fill the new NOT NULL shop columns of shops that already exist: requests stay off.
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_requests_enabled', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('review_request_days', sa.Integer(), nullable=False, server_default='7'))
        batch_op.add_column(sa.Column('review_requests_enabled_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_emails_order_id_orders'), 'orders', ['order_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_outbox_emails_order_id'), ['order_id'], unique=False)

    op.create_index('ix_orders_shop_status_completed', 'orders', ['shop_id', 'status', 'completed_at'], unique=False)
    op.create_index('ix_reviews_shop_order', 'reviews', ['shop_id', 'remote_order_id'], unique=False)


def downgrade():
    op.drop_index('ix_reviews_shop_order', table_name='reviews')
    op.drop_index('ix_orders_shop_status_completed', table_name='orders')

    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_emails_order_id'))
        batch_op.drop_constraint(batch_op.f('fk_outbox_emails_order_id_orders'), type_='foreignkey')
        batch_op.drop_column('order_id')

    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('review_requests_enabled_at')
        batch_op.drop_column('review_request_days')
        batch_op.drop_column('review_requests_enabled')

"""at-risk orders: flags on orders stuck before dispatch, the shop's promised dispatch time, the order's payment
time, and goodwill codes without a case

Revision ID: 0012_at_risk_orders
Revises: 0011_incidents
Create Date: 2026-12-04 20:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_at_risk_orders'
down_revision = '0011_incidents'
branch_labels = None
depends_on = None


def upgrade():
    # The server default fills the new NOT NULL column of shops that already exist: 48 hours.
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('promised_dispatch_hours', sa.Integer(), nullable=False, server_default='48'))

    # Orders stored before this revision have no payment time: the rule then counts from their creation.
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paid_at', sa.DateTime(), nullable=True))

    # A goodwill code sent with a delay notice belongs to an order, not (yet) to a case.
    with op.batch_alter_table('compensations', schema=None) as batch_op:
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=True)

    op.create_table('at_risk_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('active_order_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('flagged_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('acted_by_id', sa.Integer(), nullable=True),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.Column('notice_language', sa.String(length=8), nullable=True),
    sa.Column('notice_text', sa.Text(), nullable=True),
    sa.Column('delay_reason', sa.Text(), nullable=True),
    sa.Column('expected_on', sa.Date(), nullable=True),
    sa.Column('outbox_email_id', sa.Integer(), nullable=True),
    sa.Column('compensation_id', sa.Integer(), nullable=True),
    sa.Column('dismissed_at', sa.DateTime(), nullable=True),
    sa.Column('dismiss_reason', sa.Text(), nullable=True),
    sa.Column('cleared_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['acted_by_id'], ['users.id'], name=op.f('fk_at_risk_orders_acted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['compensation_id'], ['compensations.id'], name=op.f('fk_at_risk_orders_compensation_id_compensations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_at_risk_orders_customer_id_customers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_at_risk_orders_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_email_id'], ['outbox_emails.id'], name=op.f('fk_at_risk_orders_outbox_email_id_outbox_emails'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_at_risk_orders_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_at_risk_orders')),
    sa.UniqueConstraint('active_order_id', name=op.f('uq_at_risk_orders_active_order_id'))
    )
    with op.batch_alter_table('at_risk_orders', schema=None) as batch_op:
        batch_op.create_index('ix_at_risk_orders_shop_status_flagged', ['shop_id', 'status', 'flagged_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_at_risk_orders_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_at_risk_orders_order_id'), ['order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('at_risk_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_at_risk_orders_order_id'))
        batch_op.drop_index(batch_op.f('ix_at_risk_orders_customer_id'))
        batch_op.drop_index('ix_at_risk_orders_shop_status_flagged')

    op.drop_table('at_risk_orders')

    # Goodwill codes without a case cannot be kept under the old NOT NULL rule.
    op.execute("DELETE FROM compensations WHERE case_id IS NULL")
    with op.batch_alter_table('compensations', schema=None) as batch_op:
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('paid_at')

    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('promised_dispatch_hours')

"""incidents: many cases with one cause handled as one crisis, its broadcast updates and security checklist

Revision ID: 0011_incidents
Revises: 0010_review_answers
Create Date: 2026-12-07 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_incidents'
down_revision = '0010_review_answers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('cause', sa.String(length=40), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('phase', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_from_alert_id', sa.Integer(), nullable=True),
    sa.Column('cadence_hours', sa.Integer(), nullable=False),
    sa.Column('next_update_due_at', sa.DateTime(), nullable=True),
    sa.Column('what_happened', sa.Text(), nullable=True),
    sa.Column('what_worked', sa.Text(), nullable=True),
    sa.Column('what_to_change', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_from_alert_id'], ['crisis_alerts.id'], name=op.f('fk_incidents_created_from_alert_id_crisis_alerts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_incidents_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_incidents_product_id_products'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_incidents_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_created_from_alert_id'), ['created_from_alert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_incidents_phase_due', ['phase', 'next_update_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_incidents_product_id'), ['product_id'], unique=False)
        batch_op.create_index('ix_incidents_shop_phase', ['shop_id', 'phase'], unique=False)

    op.create_table('incident_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_incident_cases_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_incident_cases_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_cases_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_cases')),
    sa.UniqueConstraint('case_id', name=op.f('uq_incident_cases_case_id'))
    )
    with op.batch_alter_table('incident_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_cases_incident_id'), ['incident_id'], unique=False)

    op.create_table('incident_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_updates_incident_id_incidents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_incident_updates_sent_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_updates')),
    sa.UniqueConstraint('incident_id', 'number', name=op.f('uq_incident_updates_incident_id_number'))
    )

    op.create_table('incident_checklist_ticks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('ticked_by_id', sa.Integer(), nullable=True),
    sa.Column('ticked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_checklist_ticks_incident_id_incidents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticked_by_id'], ['users.id'], name=op.f('fk_incident_checklist_ticks_ticked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_checklist_ticks')),
    sa.UniqueConstraint('incident_id', 'item', name=op.f('uq_incident_checklist_ticks_incident_id_item'))
    )


def downgrade():
    op.drop_table('incident_checklist_ticks')
    op.drop_table('incident_updates')
    with op.batch_alter_table('incident_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_cases_incident_id'))

    op.drop_table('incident_cases')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_shop_phase')
        batch_op.drop_index(batch_op.f('ix_incidents_product_id'))
        batch_op.drop_index('ix_incidents_phase_due')
        batch_op.drop_index(batch_op.f('ix_incidents_owner_id'))
        batch_op.drop_index(batch_op.f('ix_incidents_created_from_alert_id'))

    op.drop_table('incidents')

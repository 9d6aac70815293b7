"""improvements: the "you said, we did" log of changes made because of feedback, with their products and cases

Revision ID: 0013_improvements
Revises: 0012_at_risk_orders
Create Date: 2026-12-06 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_improvements'
down_revision = '0012_at_risk_orders'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('improvements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('area', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('causes', sa.JSON(), nullable=False),
    sa.Column('public_note', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_improvements_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_improvements_shop_id_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_improvements'))
    )
    with op.batch_alter_table('improvements', schema=None) as batch_op:
        batch_op.create_index('ix_improvements_shop_made', ['shop_id', 'made_on'], unique=False)

    op.create_table('improvement_cases',
    sa.Column('improvement_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_improvement_cases_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['improvement_id'], ['improvements.id'], name=op.f('fk_improvement_cases_improvement_id_improvements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('improvement_id', 'case_id', name=op.f('pk_improvement_cases'))
    )
    with op.batch_alter_table('improvement_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_improvement_cases_case_id'), ['case_id'], unique=False)

    op.create_table('improvement_products',
    sa.Column('improvement_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['improvement_id'], ['improvements.id'], name=op.f('fk_improvement_products_improvement_id_improvements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_improvement_products_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('improvement_id', 'product_id', name=op.f('pk_improvement_products'))
    )
    with op.batch_alter_table('improvement_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_improvement_products_product_id'), ['product_id'], unique=False)


def downgrade():
    with op.batch_alter_table('improvement_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_improvement_products_product_id'))

    op.drop_table('improvement_products')
    with op.batch_alter_table('improvement_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_improvement_cases_case_id'))

    op.drop_table('improvement_cases')
    with op.batch_alter_table('improvements', schema=None) as batch_op:
        batch_op.drop_index('ix_improvements_shop_made')

    op.drop_table('improvements')

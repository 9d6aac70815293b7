"""review answers: the public answer to a review without a case (one per review), since when a review awaits
moderation in WordPress and whether the staff were warned, and the shop's moderation warning time

Revision ID: 0010_review_answers
Revises: 0009_review_requests
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_review_answers'
down_revision = '0009_review_requests'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('webhook_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('remote_comment_id', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('similar_to', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_answers_author_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_answers_review_id_reviews'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_review_answers_shop_id_shops'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_answers')),
    sa.UniqueConstraint('review_id', name=op.f('uq_review_answers_review_id')),
    sa.UniqueConstraint('webhook_id', name=op.f('uq_review_answers_webhook_id'))
    )
    with op.batch_alter_table('review_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_answers_shop_id'), ['shop_id'], unique=False)
        batch_op.create_index('ix_review_answers_status_next', ['status', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_since', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('moderation_warned_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_reviews_shop_held', ['shop_id', 'held_since'], unique=False)
    # Reviews held already: since their last change (when it went to hold or later), so no warning comes early.
    op.execute("UPDATE reviews SET held_since = COALESCE(source_modified_at, created_at) WHERE status = 'hold'")

    # The server default fills the new NOT NULL column of shops that already exist: the 24 h default.
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderation_warning_hours', sa.Integer(), nullable=False, server_default='24'))


def downgrade():
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('moderation_warning_hours')

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_shop_held')
        batch_op.drop_column('moderation_warned_at')
        batch_op.drop_column('held_since')

    with op.batch_alter_table('review_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_review_answers_status_next')
        batch_op.drop_index(batch_op.f('ix_review_answers_shop_id'))

    op.drop_table('review_answers')

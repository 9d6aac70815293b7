<?php
/**
 * WooCommerce stand-in (tests only): reviews, following includes/class-wc-comments.php
 * (WC_Comments::init() and the methods it hooks), wc_review_is_from_verified_owner()
 * (includes/wc-product-functions.php) and the review form of
 * templates/single-product-reviews.php of WooCommerce 7.9.
 *
 * As in WooCommerce: a comment posted from the storefront on a product becomes comment_type
 * "review" (preprocess_comment, priority 1), a missing rating stops the submission when ratings
 * are required (priority 0), the "rating" comment meta is added from $_POST['rating'] on
 * comment_post at priority 1, and the "verified" meta (bought the product) at priority 10.
 */

defined( 'ABSPATH' ) || exit;

/**
 * WC_Comments, reduced.
 */
class WC_Standin_Comments {

	/**
	 * Hooks, with WooCommerce's priorities.
	 */
	public static function init() {
		add_filter( 'comments_open', array( __CLASS__, 'comments_open' ), 10, 2 );
		add_filter( 'preprocess_comment', array( __CLASS__, 'check_comment_rating' ), 0 );
		add_action( 'comment_post', array( __CLASS__, 'add_comment_rating' ), 1 );
		add_filter( 'comment_moderation_recipients', array( __CLASS__, 'comment_moderation_recipients' ), 10, 2 );
		add_action( 'wp_update_comment_count', array( __CLASS__, 'clear_transients' ) );
		add_filter( 'comments_clauses', array( __CLASS__, 'exclude_order_comments' ), 10, 1 );
		add_filter( 'comment_feed_where', array( __CLASS__, 'exclude_order_comments_from_feed_where' ) );
		add_filter( 'comments_clauses', array( __CLASS__, 'exclude_webhook_comments' ), 10, 1 );
		add_filter( 'get_avatar_comment_types', array( __CLASS__, 'add_avatar_for_review_comment_type' ) );
		add_action( 'comment_post', array( __CLASS__, 'add_comment_purchase_verification' ) );
		add_action( 'preprocess_comment', array( __CLASS__, 'update_comment_type' ), 1 );
		add_action( 'pre_comment_on_post', array( __CLASS__, 'validate_product_review_verified_owners' ) );
		add_filter( 'comment_form_defaults', array( __CLASS__, 'review_form' ) );
	}

	/**
	 * Products take comments only when reviews are on.
	 *
	 * @param bool $open    Open.
	 * @param int  $post_id Post.
	 * @return bool
	 */
	public static function comments_open( $open, $post_id ) {
		if ( 'product' === get_post_type( $post_id ) && ! post_type_supports( 'product', 'comments' ) ) {
			$open = false;
		}
		return $open;
	}

	/**
	 * Stops a storefront review without a rating when ratings are required.
	 *
	 * @param array $comment_data Comment data.
	 * @return array
	 */
	public static function check_comment_rating( $comment_data ) {
		// phpcs:disable WordPress.Security.NonceVerification.Missing
		if ( ! is_admin() && isset( $_POST['comment_post_ID'], $_POST['rating'], $comment_data['comment_type'] ) && 'product' === get_post_type( absint( $_POST['comment_post_ID'] ) ) && empty( $_POST['rating'] ) && self::is_default_comment_type( $comment_data['comment_type'] ) && wc_review_ratings_enabled() && wc_review_ratings_required() ) {
			wp_die( 'Please rate the product.' );
			exit;
		}
		// phpcs:enable
		return $comment_data;
	}

	/**
	 * Adds the "rating" meta from the submitted form.
	 *
	 * @param int $comment_id Comment.
	 */
	public static function add_comment_rating( $comment_id ) {
		// phpcs:disable WordPress.Security.NonceVerification.Missing, WordPress.Security.ValidatedSanitizedInput
		if ( isset( $_POST['rating'], $_POST['comment_post_ID'] ) && 'product' === get_post_type( absint( $_POST['comment_post_ID'] ) ) ) {
			if ( ! $_POST['rating'] || $_POST['rating'] > 5 || $_POST['rating'] < 0 ) {
				return;
			}
			add_comment_meta( $comment_id, 'rating', intval( $_POST['rating'] ), true );
			$post_id = absint( $_POST['comment_post_ID'] );
			if ( $post_id ) {
				self::clear_transients( $post_id );
			}
		}
		// phpcs:enable
	}

	/**
	 * Review moderation mail goes to the shop's admin.
	 *
	 * @param array $emails     Recipients.
	 * @param int   $comment_id Comment.
	 * @return array
	 */
	public static function comment_moderation_recipients( $emails, $comment_id ) {
		$comment = get_comment( $comment_id );
		if ( $comment && 'product' === get_post_type( $comment->comment_post_ID ) ) {
			$emails = array( get_option( 'admin_email' ) );
		}
		return $emails;
	}

	/**
	 * Keeps the product's rating meta up to date.
	 *
	 * @param int $post_id Post.
	 */
	public static function clear_transients( $post_id ) {
		global $wpdb;
		if ( 'product' !== get_post_type( $post_id ) ) {
			return;
		}
		$rows   = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT meta_value, COUNT(*) AS meta_value_count FROM {$wpdb->commentmeta}
				LEFT JOIN {$wpdb->comments} ON {$wpdb->commentmeta}.comment_id = {$wpdb->comments}.comment_ID
				WHERE meta_key = 'rating' AND comment_post_ID = %d AND comment_approved = '1' AND meta_value > 0
				GROUP BY meta_value",
				$post_id
			)
		);
		$counts = array();
		$sum    = 0;
		foreach ( $rows as $row ) {
			$counts[ $row->meta_value ] = absint( $row->meta_value_count );
			$sum                       += (int) $row->meta_value * absint( $row->meta_value_count );
		}
		$count   = array_sum( $counts );
		$reviews = (int) $wpdb->get_var(
			$wpdb->prepare(
				"SELECT COUNT(*) FROM {$wpdb->comments} WHERE comment_parent = 0 AND comment_post_ID = %d AND comment_approved = '1' AND comment_type IN ( 'review', '', 'comment' )",
				$post_id
			)
		);
		update_post_meta( $post_id, '_wc_rating_count', $counts );
		update_post_meta( $post_id, '_wc_average_rating', $count ? number_format( $sum / $count, 2, '.', '' ) : 0 );
		update_post_meta( $post_id, '_wc_review_count', $reviews );
	}

	/**
	 * Order notes stay out of comment queries.
	 *
	 * @param array $clauses Clauses.
	 * @return array
	 */
	public static function exclude_order_comments( $clauses ) {
		$clauses['where'] .= ( trim( $clauses['where'] ) ? ' AND ' : '' ) . " comment_type != 'order_note' ";
		return $clauses;
	}

	/**
	 * Order notes stay out of comment feeds.
	 *
	 * @param string $where WHERE clause.
	 * @return string
	 */
	public static function exclude_order_comments_from_feed_where( $where ) {
		return $where . ( trim( $where ) ? ' AND ' : '' ) . " comment_type != 'order_note' ";
	}

	/**
	 * Webhook delivery logs stay out of comment queries.
	 *
	 * @param array $clauses Clauses.
	 * @return array
	 */
	public static function exclude_webhook_comments( $clauses ) {
		$clauses['where'] .= ( trim( $clauses['where'] ) ? ' AND ' : '' ) . " comment_type != 'webhook_delivery' ";
		return $clauses;
	}

	/**
	 * Avatars for reviews.
	 *
	 * @param array $comment_types Types.
	 * @return array
	 */
	public static function add_avatar_for_review_comment_type( $comment_types ) {
		return array_merge( $comment_types, array( 'review' ) );
	}

	/**
	 * Adds the "verified" meta: whether the reviewer bought the product.
	 *
	 * @param int $comment_id Comment.
	 * @return bool
	 */
	public static function add_comment_purchase_verification( $comment_id ) {
		$comment  = get_comment( $comment_id );
		$verified = false;
		if ( $comment && 'product' === get_post_type( $comment->comment_post_ID ) ) {
			$email    = $comment->user_id ? '' : $comment->comment_author_email;
			$verified = wc_customer_bought_product( $email, $comment->user_id, $comment->comment_post_ID );
			add_comment_meta( $comment_id, 'verified', (int) $verified, true );
		}
		return $verified;
	}

	/**
	 * A storefront comment on a product is a review.
	 *
	 * @param array $comment_data Comment data.
	 * @return array
	 */
	public static function update_comment_type( $comment_data ) {
		// phpcs:ignore WordPress.Security.NonceVerification.Missing
		if ( ! is_admin() && isset( $_POST['comment_post_ID'], $comment_data['comment_type'] ) && self::is_default_comment_type( $comment_data['comment_type'] ) && 'product' === get_post_type( absint( $_POST['comment_post_ID'] ) ) ) {
			$comment_data['comment_type'] = 'review';
		}
		return $comment_data;
	}

	/**
	 * Only buyers may review when the shop requires it.
	 *
	 * @param int $comment_post_id Post.
	 */
	public static function validate_product_review_verified_owners( $comment_post_id ) {
		if ( 'yes' !== get_option( 'woocommerce_review_rating_verification_required' ) || 'product' !== get_post_type( $comment_post_id ) ) {
			return;
		}
		if ( wc_customer_bought_product( '', get_current_user_id(), $comment_post_id ) ) {
			return;
		}
		wp_die( 'Only logged in customers who have purchased this product may leave a review.', 'Reviews can only be left by "verified owners"', array( 'code' => 403 ) );
	}

	/**
	 * The review form on product pages: WooCommerce's rating select before the review text.
	 *
	 * @param array $defaults comment_form() defaults.
	 * @return array
	 */
	public static function review_form( $defaults ) {
		if ( ! is_singular( 'product' ) ) {
			return $defaults;
		}
		$rating = '';
		if ( wc_review_ratings_enabled() ) {
			$rating  = '<div class="comment-form-rating"><label for="rating">Your rating' . ( wc_review_ratings_required() ? '&nbsp;<span class="required">*</span>' : '' ) . '</label>';
			$rating .= '<select name="rating" id="rating"' . ( wc_review_ratings_required() ? ' required' : '' ) . '><option value="">Rate&hellip;</option>';
			foreach ( array( 5 => 'Perfect', 4 => 'Good', 3 => 'Average', 2 => 'Not that bad', 1 => 'Very poor' ) as $value => $label ) {
				$rating .= '<option value="' . $value . '">' . $label . '</option>';
			}
			$rating .= '</select></div>';
		}
		$defaults['title_reply']   = have_comments() ? 'Add a review' : sprintf( 'Be the first to review &ldquo;%s&rdquo;', get_the_title() );
		$defaults['label_submit']  = 'Submit';
		$defaults['comment_field'] = $rating . '<p class="comment-form-comment"><label for="comment">Your review&nbsp;<span class="required">*</span></label><textarea id="comment" name="comment" cols="45" rows="8" required></textarea></p>';
		return $defaults;
	}

	/**
	 * '' (before WordPress 5.5) and 'comment' are the default comment type.
	 *
	 * @param string $comment_type Type.
	 * @return bool
	 */
	private static function is_default_comment_type( $comment_type ) {
		return ( '' === $comment_type || 'comment' === $comment_type );
	}
}

if ( ! function_exists( 'wc_review_is_from_verified_owner' ) ) {
	/**
	 * Whether a review is from someone who bought the product (computed and stored if unknown).
	 *
	 * @param int $comment_id Comment.
	 * @return bool
	 */
	function wc_review_is_from_verified_owner( $comment_id ) {
		$verified = get_comment_meta( $comment_id, 'verified', true );
		return '' === $verified ? WC_Standin_Comments::add_comment_purchase_verification( $comment_id ) : (bool) $verified;
	}
}

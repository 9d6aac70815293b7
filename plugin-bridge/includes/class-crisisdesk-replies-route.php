<?php
/**
 * POST /wp-json/crisisdesk/v1/replies: the service posts the shop's public reply under a review.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Signed like the events (Standard Webhooks, ±5 minutes). WooCommerce's REST API cannot make
 * replies (it forces comment_parent to 0), so the reply comment is inserted here.
 *
 * Idempotent by webhook-id: the id is claimed in our replies table (primary key) before the
 * comment is inserted, so two concurrent deliveries of one request make one comment, and a
 * repeat answers with the comment the first one made (also when that attempt died between
 * inserting the comment and recording it: the comment carries the id as meta). A claim whose
 * attempt died before inserting anything is taken over by a repeat after ABANDONED_AFTER seconds.
 */
final class CrisisDesk_Replies_Route {

	const NAMESPACE_V1 = 'crisisdesk/v1';

	/** Longest reply accepted, in characters. */
	const MAX_LENGTH = 10000;

	/**
	 * Seconds after which a claim without a comment is taken to belong to an attempt that died;
	 * far longer than any request that inserts one comment.
	 */
	const ABANDONED_AFTER = 300;

	/** Hook the route in. */
	public static function register() {
		add_action( 'rest_api_init', array( __CLASS__, 'register_route' ) );
	}

	/** Register the route. */
	public static function register_route() {
		register_rest_route(
			self::NAMESPACE_V1,
			'/replies',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( __CLASS__, 'create_reply' ),
				'permission_callback' => array( __CLASS__, 'verify_signature' ),
			)
		);
	}

	/**
	 * The signature replaces a logged-in user here.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return true|WP_Error
	 */
	public static function verify_signature( $request ) {
		return CrisisDesk_Signature::verify(
			CrisisDesk_Config::secret(),
			(string) $request->get_header( 'webhook-id' ),
			(string) $request->get_header( 'webhook-timestamp' ),
			(string) $request->get_header( 'webhook-signature' ),
			$request->get_body()
		);
	}

	/**
	 * Post the reply, once per webhook-id.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function create_reply( $request ) {
		global $wpdb;
		$webhook_id = (string) $request->get_header( 'webhook-id' );
		if ( strlen( $webhook_id ) > 64 ) {
			return self::invalid( 'webhook-id', __( 'The webhook-id header is longer than 64 characters.', 'crisisdesk-bridge' ) );
		}
		$input = self::parse( $request->get_body() );
		if ( is_wp_error( $input ) ) {
			return $input;
		}

		// A repeat is answered from its claim first, whatever became of the review or the user since.
		$existing = self::find_claim( $webhook_id );
		if ( $existing && ! self::take_over_abandoned( $existing, $input['review_id'] ) ) {
			return self::repeat( $existing, $input['review_id'] );
		}

		$review = get_comment( $input['review_id'] );
		if ( ! self::is_answerable_review( $review ) ) {
			if ( $existing ) {
				$wpdb->delete( CrisisDesk_Schema::replies_table(), array( 'webhook_id' => $webhook_id ) );
			}
			return new WP_Error( 'crisisdesk_review_not_found', __( 'There is no product review with this review_id.', 'crisisdesk-bridge' ), array( 'status' => 404 ) );
		}
		$user = get_userdata( CrisisDesk_Config::reply_user_id() );
		if ( ! $user ) {
			if ( $existing ) {
				$wpdb->delete( CrisisDesk_Schema::replies_table(), array( 'webhook_id' => $webhook_id ) );
			}
			return new WP_Error( 'crisisdesk_no_reply_user', __( 'Choose the shop user that replies are posted as in WooCommerce → CrisisDesk.', 'crisisdesk-bridge' ), array( 'status' => 503 ) );
		}

		if ( ! $existing ) {
			$claimed = $wpdb->query(
				$wpdb->prepare(
					// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
					'INSERT IGNORE INTO ' . CrisisDesk_Schema::replies_table() . ' (webhook_id, review_id, comment_id, created_gmt) VALUES (%s, %d, NULL, %s)',
					$webhook_id,
					$input['review_id'],
					gmdate( 'Y-m-d H:i:s' )
				)
			);
			if ( 1 !== (int) $claimed ) {
				// A concurrent delivery of the same request claimed it between our look and our insert.
				return self::repeat( self::find_claim( $webhook_id ), $input['review_id'] );
			}
		}

		// wp_insert_comment() unslashes what it is given (and add_comment_meta() the meta): slash
		// first, so that backslashes in the text or the webhook-id are kept.
		$comment_id = wp_insert_comment(
			wp_slash(
				array(
					'comment_post_ID'      => (int) $review->comment_post_ID,
					'comment_parent'       => (int) $review->comment_ID,
					'comment_content'      => $input['content'],
					'comment_approved'     => 1,
					'comment_type'         => 'comment',
					'user_id'              => $user->ID,
					'comment_author'       => $user->display_name,
					'comment_author_email' => $user->user_email,
					'comment_author_url'   => $user->user_url,
					'comment_meta'         => array( '_crisisdesk_webhook_id' => $webhook_id ),
				)
			)
		);
		if ( ! $comment_id ) {
			$wpdb->delete( CrisisDesk_Schema::replies_table(), array( 'webhook_id' => $webhook_id ) );
			return new WP_Error( 'crisisdesk_reply_not_saved', __( 'WordPress could not save the reply; try again.', 'crisisdesk-bridge' ), array( 'status' => 500 ) );
		}
		$wpdb->update( CrisisDesk_Schema::replies_table(), array( 'comment_id' => $comment_id ), array( 'webhook_id' => $webhook_id ) );
		return new WP_REST_Response( array( 'comment_id' => (int) $comment_id ), 201 );
	}

	/**
	 * A review the shop can answer in public: a product review itself (not a reply under one,
	 * which WooCommerce also types "review" when a customer posts it from the product page), and
	 * neither spam nor in the trash.
	 *
	 * @param WP_Comment|null $review The comment.
	 * @return bool
	 */
	private static function is_answerable_review( $review ) {
		return CrisisDesk_Resources::is_product_review( $review )
			&& 0 === (int) $review->comment_parent
			&& in_array( (string) $review->comment_approved, array( '0', '1' ), true );
	}

	/**
	 * Take over a claim whose attempt died before it inserted its comment (a fatal error, a killed
	 * PHP process): without this, every later repeat would be told "in progress" for ever.
	 * Atomic: of several repeats arriving together, only one takes the claim over.
	 *
	 * @param object $claim     The stored claim.
	 * @param int    $review_id The review the repeat names.
	 * @return bool True when this request now owns the claim and must insert the comment.
	 */
	private static function take_over_abandoned( $claim, $review_id ) {
		global $wpdb;
		if ( $claim->comment_id || (int) $claim->review_id !== (int) $review_id ) {
			return false;
		}
		if ( strtotime( $claim->created_gmt . ' UTC' ) > time() - self::ABANDONED_AFTER ) {
			return false; // Perhaps still running.
		}
		if ( self::comment_with_webhook_id( $claim->webhook_id ) ) {
			return false; // It did insert the comment: repeat() answers with it.
		}
		$table = CrisisDesk_Schema::replies_table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		$taken = $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET created_gmt = %s WHERE webhook_id = %s AND comment_id IS NULL AND created_gmt = %s", gmdate( 'Y-m-d H:i:s' ), $claim->webhook_id, $claim->created_gmt ) );
		return 1 === (int) $taken;
	}

	/**
	 * Validate the JSON body.
	 *
	 * @param string $body Raw body.
	 * @return array{review_id:int,content:string}|WP_Error
	 */
	private static function parse( $body ) {
		$data = json_decode( $body, true );
		if ( ! is_array( $data ) ) {
			return self::invalid( 'body', __( 'The body must be a JSON object.', 'crisisdesk-bridge' ) );
		}
		if ( ! isset( $data['review_id'] ) || ! is_int( $data['review_id'] ) || $data['review_id'] < 1 ) {
			return self::invalid( 'review_id', __( 'review_id must be a positive whole number.', 'crisisdesk-bridge' ) );
		}
		if ( ! isset( $data['content'] ) || ! is_string( $data['content'] ) ) {
			return self::invalid( 'content', __( 'content must be a string.', 'crisisdesk-bridge' ) );
		}
		$content = self::plain_text( $data['content'] );
		if ( '' === $content ) {
			return self::invalid( 'content', __( 'content must not be empty.', 'crisisdesk-bridge' ) );
		}
		if ( mb_strlen( $content ) > self::MAX_LENGTH ) {
			/* translators: %d: maximum number of characters. */
			return self::invalid( 'content', sprintf( __( 'content must be at most %d characters.', 'crisisdesk-bridge' ), self::MAX_LENGTH ) );
		}
		return array(
			'review_id' => $data['review_id'],
			'content'   => $content,
		);
	}

	/**
	 * The answer to a repeated webhook-id.
	 *
	 * @param object|null $claim     The stored claim.
	 * @param int         $review_id The review the repeat names.
	 * @return WP_REST_Response|WP_Error
	 */
	private static function repeat( $claim, $review_id ) {
		if ( ! $claim ) {
			return new WP_Error( 'crisisdesk_reply_in_progress', __( 'This reply is being posted; try again shortly.', 'crisisdesk-bridge' ), array( 'status' => 409 ) );
		}
		if ( (int) $claim->review_id !== (int) $review_id ) {
			return new WP_Error( 'crisisdesk_webhook_id_reused', __( 'This webhook-id was already used for another review.', 'crisisdesk-bridge' ), array( 'status' => 409 ) );
		}
		$comment_id = (int) $claim->comment_id;
		if ( ! $comment_id ) {
			$comment_id = self::comment_with_webhook_id( $claim->webhook_id );
			if ( $comment_id ) {
				// An attempt that died after inserting its comment: record it now.
				global $wpdb;
				$wpdb->update( CrisisDesk_Schema::replies_table(), array( 'comment_id' => $comment_id ), array( 'webhook_id' => $claim->webhook_id ) );
			}
		}
		if ( ! $comment_id ) {
			return new WP_Error( 'crisisdesk_reply_in_progress', __( 'This reply is being posted; try again shortly.', 'crisisdesk-bridge' ), array( 'status' => 409 ) );
		}
		return new WP_REST_Response(
			array(
				'comment_id' => $comment_id,
				'duplicate'  => true,
			),
			200
		);
	}

	/**
	 * A stored claim by webhook-id.
	 *
	 * @param string $webhook_id The id.
	 * @return object|null
	 */
	private static function find_claim( $webhook_id ) {
		global $wpdb;
		$table = CrisisDesk_Schema::replies_table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name is ours.
		return $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$table} WHERE webhook_id = %s", $webhook_id ) );
	}

	/**
	 * The comment a crashed earlier attempt inserted before it could record its id.
	 *
	 * @param string $webhook_id The id.
	 * @return int
	 */
	private static function comment_with_webhook_id( $webhook_id ) {
		$found = get_comments(
			array(
				'meta_key'   => '_crisisdesk_webhook_id', // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_key
				'meta_value' => $webhook_id, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_value
				'fields'     => 'ids',
				'number'     => 1,
				'status'     => 'any',
				'orderby'    => 'comment_ID',
				'order'      => 'ASC',
			)
		);
		return $found ? (int) $found[0] : 0;
	}

	/**
	 * The reply as plain text: the service sends plain text, and markup is removed rather than
	 * trusted. Unlike sanitize_textarea_field(), "%" followed by two hex digits is kept (it is text
	 * here, "100%ab" or a discount code, not URL encoding).
	 *
	 * @param string $text The content as sent.
	 * @return string
	 */
	private static function plain_text( $text ) {
		$text = wp_check_invalid_utf8( str_replace( array( "\r\n", "\r" ), "\n", $text ) );
		if ( false !== strpos( $text, '<' ) ) {
			// A lone "<" ("3 < 5") becomes &lt; instead of cutting the rest off as a tag would.
			$text = wp_strip_all_tags( wp_pre_kses_less_than( $text ) );
		}
		return trim( $text );
	}

	/**
	 * A 400 naming the field.
	 *
	 * @param string $field   The field.
	 * @param string $message The reason.
	 * @return WP_Error
	 */
	private static function invalid( $field, $message ) {
		return new WP_Error(
			'crisisdesk_invalid_' . str_replace( '-', '_', $field ),
			$message,
			array(
				'status' => 400,
				'field'  => $field,
			)
		);
	}
}

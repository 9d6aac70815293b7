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
 * repeat answers with the comment the first one made.
 */
final class CrisisDesk_Replies_Route {

	const NAMESPACE_V1 = 'crisisdesk/v1';

	/** Longest reply accepted, in characters. */
	const MAX_LENGTH = 10000;

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
		$review = get_comment( $input['review_id'] );
		if ( ! CrisisDesk_Resources::is_product_review( $review ) ) {
			return new WP_Error( 'crisisdesk_review_not_found', __( 'There is no product review with this review_id.', 'crisisdesk-bridge' ), array( 'status' => 404 ) );
		}
		$user = get_userdata( CrisisDesk_Config::reply_user_id() );
		if ( ! $user ) {
			return new WP_Error( 'crisisdesk_no_reply_user', __( 'Choose the shop user that replies are posted as in WooCommerce → CrisisDesk.', 'crisisdesk-bridge' ), array( 'status' => 503 ) );
		}

		$existing = self::find_claim( $webhook_id );
		if ( $existing ) {
			return self::repeat( $existing, $input['review_id'] );
		}
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

		$comment_id = wp_insert_comment(
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
		);
		if ( ! $comment_id ) {
			$wpdb->delete( CrisisDesk_Schema::replies_table(), array( 'webhook_id' => $webhook_id ) );
			return new WP_Error( 'crisisdesk_reply_not_saved', __( 'WordPress could not save the reply; try again.', 'crisisdesk-bridge' ), array( 'status' => 500 ) );
		}
		$wpdb->update( CrisisDesk_Schema::replies_table(), array( 'comment_id' => $comment_id ), array( 'webhook_id' => $webhook_id ) );
		return new WP_REST_Response( array( 'comment_id' => (int) $comment_id ), 201 );
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
		// The service sends plain text; markup is removed rather than trusted.
		$content = trim( sanitize_textarea_field( $data['content'] ) );
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
				'status'     => 'all',
			)
		);
		return $found ? (int) $found[0] : 0;
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

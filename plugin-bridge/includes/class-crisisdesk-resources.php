<?php
/**
 * Orders and reviews in the shape WooCommerce's REST API v3 returns them.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads a resource through WooCommerce's own REST controllers (an internal request, no network),
 * the way WooCommerce's webhooks build their payloads, so events and the service's backfill share
 * one shape. Orders go through wc_get_order() inside WooCommerce, so HPOS is respected.
 */
final class CrisisDesk_Resources {

	/**
	 * GET /wc/v3/orders/<id>.
	 *
	 * @param int $order_id Order id.
	 * @return array|WP_Error
	 */
	public static function order( $order_id ) {
		return self::fetch( '/wc/v3/orders/' . absint( $order_id ) );
	}

	/**
	 * GET /wc/v3/products/reviews/<id>, plus two fields WooCommerce's review resource lacks:
	 * `date_modified_gmt` (when this change happened, so the service can order edits) and the
	 * `_review_order_id` comment meta that WooCommerce 10.8+ stores for reviews it asked for.
	 *
	 * @param int         $comment_id Review (comment) id.
	 * @param string|null $changed_at GMT "Y-m-d H:i:s" of the change, or null for now.
	 * @return array|WP_Error
	 */
	public static function review( $comment_id, $changed_at = null ) {
		$review = self::fetch( '/wc/v3/products/reviews/' . absint( $comment_id ) );
		if ( is_wp_error( $review ) ) {
			return $review;
		}
		if ( empty( $review['date_modified_gmt'] ) ) {
			$review['date_modified_gmt'] = str_replace( ' ', 'T', null === $changed_at ? gmdate( 'Y-m-d H:i:s' ) : $changed_at );
		}
		$order_id = absint( get_comment_meta( $comment_id, '_review_order_id', true ) );
		if ( $order_id && ! isset( $review['meta_data'] ) ) {
			$review['meta_data'] = array(
				array(
					'key'   => '_review_order_id',
					'value' => $order_id,
				),
			);
		}
		return $review;
	}

	/**
	 * An internal REST request as the configured shop user (the routes need a shop manager's rights).
	 *
	 * @param string $route A WooCommerce REST route.
	 * @return array|WP_Error
	 */
	private static function fetch( $route ) {
		if ( ! class_exists( 'WooCommerce' ) ) {
			return new WP_Error( 'crisisdesk_no_woocommerce', __( 'WooCommerce is not active.', 'crisisdesk-bridge' ) );
		}
		$previous_user = get_current_user_id();
		wp_set_current_user( CrisisDesk_Config::reply_user_id() );
		try {
			$request = new WP_REST_Request( 'GET', $route );
			// "edit" gives the stored text; "view" would run the review through wpautop.
			$request->set_query_params( array( 'context' => 'edit' ) );
			$response = rest_do_request( $request );
			$data     = rest_get_server()->response_to_data( $response, false );
		} finally {
			wp_set_current_user( $previous_user );
		}
		if ( $response->is_error() ) {
			$error = $response->as_error();
			/* translators: 1: REST route, 2: WooCommerce's error message. */
			return new WP_Error( 'crisisdesk_resource_unreadable', sprintf( __( 'Could not read %1$s: %2$s', 'crisisdesk-bridge' ), $route, $error->get_error_message() ) );
		}
		// The JSON round trip turns objects into arrays exactly as the HTTP response would.
		$json    = wp_json_encode( $data );
		$decoded = false === $json ? null : json_decode( $json, true );
		if ( ! is_array( $decoded ) ) {
			/* translators: %s: REST route. */
			return new WP_Error( 'crisisdesk_resource_unreadable', sprintf( __( 'Could not read %s: the resource cannot be encoded as JSON.', 'crisisdesk-bridge' ), $route ) );
		}
		return $decoded;
	}

	/**
	 * Product reviews are top-level comments of type "review" on a product. Replies never count,
	 * ours included, and a customer's reply from the product page is one too although WooCommerce
	 * types it "review" (WC_Comments::update_comment_type()). Plain comments on a product are not
	 * reviews for WooCommerce either: its REST API refuses to read them
	 * (wc_rest_check_product_reviews_permissions()), so no event could ever carry them.
	 *
	 * @param WP_Comment|null $comment The comment.
	 * @return bool
	 */
	public static function is_product_review( $comment ) {
		return $comment instanceof WP_Comment
			&& 'review' === $comment->comment_type
			&& 0 === (int) $comment->comment_parent
			&& 'product' === get_post_type( (int) $comment->comment_post_ID );
	}
}

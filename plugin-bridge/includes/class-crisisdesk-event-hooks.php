<?php
/**
 * Listens to WooCommerce and WordPress, and queues one event per changed order or review.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Hooks only note what changed; the resource is read and queued once, at the end of the request
 * (shutdown), after WooCommerce has saved everything (a new order's items, a review's rating
 * meta). Queuing is one local INSERT: checkout and the review form never wait on the network.
 *
 * Several hooks for the same resource in one request become one event, with the most telling type.
 */
final class CrisisDesk_Event_Hooks {

	/** When hooks for one resource disagree, the higher rank names the event. */
	const RANK = array(
		'order.created'         => 3,
		'order.refunded'        => 2,
		'order.updated'         => 1,
		'review.created'        => 3,
		'review.status_changed' => 2,
		'review.updated'        => 1,
	);

	/**
	 * Changes noted in this request, keyed by "resource:id".
	 *
	 * @var array<string,array{type:string,resource:string,id:int,occurred_at:string}>
	 */
	private static $pending = array();

	/** Attach to the hooks SPEC section 7 lists. */
	public static function register() {
		add_action( 'woocommerce_new_order', array( __CLASS__, 'on_new_order' ), 20, 1 );
		add_action( 'woocommerce_order_status_changed', array( __CLASS__, 'on_order_status_changed' ), 20, 1 );
		// Any other saved change (address, items, notes), as WooCommerce's own order.updated webhook.
		add_action( 'woocommerce_update_order', array( __CLASS__, 'on_order_status_changed' ), 20, 1 );
		add_action( 'woocommerce_order_refunded', array( __CLASS__, 'on_order_refunded' ), 20, 1 );
		add_action( 'comment_post', array( __CLASS__, 'on_comment_post' ), 20, 1 );
		add_action( 'woocommerce_rest_insert_product_review', array( __CLASS__, 'on_rest_review' ), 20, 3 );
		add_action( 'edit_comment', array( __CLASS__, 'on_edit_comment' ), 20, 1 );
		add_action( 'added_comment_meta', array( __CLASS__, 'on_comment_meta' ), 20, 3 );
		add_action( 'updated_comment_meta', array( __CLASS__, 'on_comment_meta' ), 20, 3 );
		add_action( 'transition_comment_status', array( __CLASS__, 'on_comment_status' ), 20, 3 );
		add_action( 'shutdown', array( __CLASS__, 'flush' ), 5 );
	}

	/** @param int $order_id Order id. */
	public static function on_new_order( $order_id ) {
		self::note( 'order.created', 'order', $order_id );
	}

	/** @param int $order_id Order id. */
	public static function on_order_status_changed( $order_id ) {
		self::note( 'order.updated', 'order', $order_id );
	}

	/** @param int $order_id Order id. */
	public static function on_order_refunded( $order_id ) {
		self::note( 'order.refunded', 'order', $order_id );
	}

	/** @param int $comment_id A comment posted through the storefront form or wp_new_comment(). */
	public static function on_comment_post( $comment_id ) {
		if ( self::is_review( $comment_id ) ) {
			self::note( 'review.created', 'review', $comment_id );
		}
	}

	/**
	 * A review created or edited through WooCommerce's REST API (which does not fire comment_post).
	 *
	 * @param WP_Comment      $review   The review.
	 * @param WP_REST_Request $request  The request.
	 * @param bool            $creating True when created.
	 */
	public static function on_rest_review( $review, $request, $creating ) {
		self::note( $creating ? 'review.created' : 'review.updated', 'review', $review->comment_ID );
	}

	/** @param int $comment_id An edited comment (text, author, or through the admin screen). */
	public static function on_edit_comment( $comment_id ) {
		if ( self::is_review( $comment_id ) ) {
			self::note( 'review.updated', 'review', $comment_id );
		}
	}

	/**
	 * A changed rating (WooCommerce keeps it in comment meta, outside edit_comment).
	 *
	 * @param int    $meta_id    Meta row id.
	 * @param int    $comment_id Comment id.
	 * @param string $meta_key   Meta key.
	 */
	public static function on_comment_meta( $meta_id, $comment_id, $meta_key ) {
		if ( 'rating' === $meta_key && self::is_review( $comment_id ) ) {
			self::note( 'review.updated', 'review', $comment_id );
		}
	}

	/**
	 * Approved, unapproved, spammed, trashed, or restored.
	 *
	 * @param string     $new_status New status.
	 * @param string     $old_status Old status.
	 * @param WP_Comment $comment    The comment.
	 */
	public static function on_comment_status( $new_status, $old_status, $comment ) {
		if ( $new_status !== $old_status && self::is_review( $comment->comment_ID ) ) {
			self::note( 'review.status_changed', 'review', $comment->comment_ID );
		}
	}

	/** Queue what this request changed. Runs on shutdown; safe to call more than once. */
	public static function flush() {
		$pending       = self::$pending;
		self::$pending = array();
		foreach ( $pending as $change ) {
			try {
				$body = self::build_body( $change['type'], $change['resource'], $change['id'], $change['occurred_at'] );
				if ( is_wp_error( $body ) ) {
					// Kept as a failed row with the reason, never dropped: "retry" reads the resource again.
					CrisisDesk_Queue::enqueue( $change['type'], $change['resource'], $change['id'], null, $body->get_error_message() );
				} else {
					CrisisDesk_Queue::enqueue( $change['type'], $change['resource'], $change['id'], $body );
				}
			} catch ( Throwable $error ) {
				// A broken resource (a filter that throws while WooCommerce builds it) must not break
				// the shopper's request, nor lose the event: it is kept as a failed row with the reason.
				try {
					/* translators: 1: "order" or "review", 2: its id, 3: the error. */
					CrisisDesk_Queue::enqueue( $change['type'], $change['resource'], $change['id'], null, sprintf( __( 'Could not read %1$s %2$d: %3$s', 'crisisdesk-bridge' ), $change['resource'], $change['id'], $error->getMessage() ) );
				} catch ( Throwable $also ) {
					error_log( sprintf( 'CrisisDesk: could not queue %s for %s %d: %s', $change['type'], $change['resource'], $change['id'], $error->getMessage() ) ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log
				}
			}
		}
		if ( $pending ) {
			// At once, or when the events queued before these may go (they are held behind them).
			$next = CrisisDesk_Queue::next_due();
			if ( null !== $next ) {
				CrisisDesk_Runner::schedule( $next - time() );
			}
		}
	}

	/**
	 * The signed body of one event: the SPEC's envelope around the resource in WooCommerce's shape.
	 *
	 * @param string $type        Event type.
	 * @param string $resource    "order" or "review".
	 * @param int    $id          Resource id.
	 * @param string $occurred_at GMT "Y-m-d H:i:s" of the change.
	 * @return string|WP_Error
	 */
	public static function build_body( $type, $resource, $id, $occurred_at ) {
		$data = 'order' === $resource ? CrisisDesk_Resources::order( $id ) : CrisisDesk_Resources::review( $id, $occurred_at );
		if ( is_wp_error( $data ) ) {
			return $data;
		}
		return wp_json_encode(
			array(
				'type'        => $type,
				'occurred_at' => str_replace( ' ', 'T', $occurred_at ) . 'Z',
				'data'        => $data,
			)
		);
	}

	/** @return int How many changes wait for the end of the request (for tests and diagnostics). */
	public static function pending_count() {
		return count( self::$pending );
	}

	/**
	 * Remember one change, keeping the most telling type for the resource.
	 *
	 * @param string $type     Event type.
	 * @param string $resource "order" or "review".
	 * @param int    $id       Resource id.
	 */
	private static function note( $type, $resource, $id ) {
		$id  = absint( $id );
		$key = $resource . ':' . $id;
		if ( ! $id ) {
			return;
		}
		if ( isset( self::$pending[ $key ] ) && self::RANK[ self::$pending[ $key ]['type'] ] >= self::RANK[ $type ] ) {
			return;
		}
		self::$pending[ $key ] = array(
			'type'        => $type,
			'resource'    => $resource,
			'id'          => $id,
			'occurred_at' => isset( self::$pending[ $key ] ) ? self::$pending[ $key ]['occurred_at'] : gmdate( 'Y-m-d H:i:s' ),
		);
	}

	/**
	 * Whether a comment is a product review.
	 *
	 * @param int $comment_id Comment id.
	 * @return bool
	 */
	private static function is_review( $comment_id ) {
		return CrisisDesk_Resources::is_product_review( get_comment( $comment_id ) );
	}
}

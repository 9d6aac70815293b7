<?php
/**
 * WooCommerce's own review request (WooCommerce 10.8+), held back while the customer has an open case.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce 10.8 can email customers a "Review request" a few days after an order is completed.
 * Its Scheduler (Automattic\WooCommerce\Internal\OrderReviews\Scheduler::handle_woocommerce_order_status_completed,
 * on `woocommerce_order_status_completed`) decides once, when the order turns completed, whether to
 * schedule that email:
 *
 *     $should_send = (bool) apply_filters( 'woocommerce_should_send_review_request', true, $order );
 *
 * with the WC_Order as the only other argument (no email object), and returns without scheduling
 * when the answer is false. WooCommerce's own unsubscribe check hooks the same filter at priority
 * 10 (ReviewRequestUnsubscribeController::respect_unsubscribe_flags) and passes an incoming false
 * on. The email itself (WC_Email_Customer_Review_Request::trigger) does not ask the filter again
 * when it is sent, so a case opened after the order was completed does not stop a request that is
 * already scheduled.
 *
 * This class asks CrisisDesk at that moment, after WooCommerce's own check, with a short timeout:
 * CrisisDesk says no while the customer has an open case in this shop or opted out of its email.
 * A held request and a failed question are kept in a short log on the settings page. When CrisisDesk
 * cannot answer, the request is left to WooCommerce: a missed hold is better than blocking the
 * shop's normal mail. Nothing is remembered between requests (a case may close at any time); within
 * one request (a bulk "mark completed") a service that did not answer is not asked again.
 */
final class CrisisDesk_Review_Requests {

	const FILTER     = 'woocommerce_should_send_review_request';
	const PRIORITY   = 20; // After WooCommerce's own unsubscribe check (10): an opt-out there needs no call.
	const TIMEOUT    = 2;  // Seconds; the question holds up the request that completes the order.
	const LOG_OPTION = 'crisisdesk_review_request_log';
	const LOG_SIZE   = 20;

	const HELD   = 'held';
	const FAILED = 'failed';

	/** Non-persistent cache group: whatever it holds lasts one request, even with an object cache. */
	const REQUEST_CACHE = 'crisisdesk_request';

	/** Hook the filter in. */
	public static function register() {
		add_filter( self::FILTER, array( __CLASS__, 'should_send' ), self::PRIORITY, 2 );
		wp_cache_add_non_persistent_groups( array( self::REQUEST_CACHE ) );
	}

	/**
	 * The filter: false while CrisisDesk says the customer should not be asked for a review now.
	 *
	 * @param bool     $should_send Whether WooCommerce (and the callbacks before this one) would schedule the email.
	 * @param WC_Order $order       The order that was just completed.
	 * @return bool
	 */
	public static function should_send( $should_send, $order ) {
		if ( ! $should_send || ! $order instanceof WC_Order ) {
			return $should_send;
		}
		$email = (string) $order->get_billing_email();
		if ( '' === $email ) {
			return $should_send; // WooCommerce has nobody to send it to either.
		}
		$client = CrisisDesk_Service_Client::from_config();
		if ( is_wp_error( $client ) ) {
			return $should_send; // Not connected yet: there is nothing to ask.
		}
		if ( wp_cache_get( 'service_unreachable', self::REQUEST_CACHE ) ) {
			self::log( $order, self::FAILED, __( 'Not asked: CrisisDesk did not answer for an earlier order in this request.', 'crisisdesk-bridge' ) );
			return $should_send;
		}
		$answer = self::ask( $client, $email, $order->get_id() );
		if ( is_wp_error( $answer ) ) {
			if ( 'crisisdesk_unreachable' === $answer->get_error_code() ) {
				wp_cache_set( 'service_unreachable', true, self::REQUEST_CACHE ); // No answer may mean a timeout each time.
			}
			self::log( $order, self::FAILED, $answer->get_error_message() );
			return $should_send;
		}
		if ( true === $answer['send'] ) {
			return $should_send;
		}
		self::log( $order, self::HELD, isset( $answer['reason'] ) && is_string( $answer['reason'] ) ? $answer['reason'] : '' );
		return false;
	}

	/**
	 * The recent entries, newest first.
	 *
	 * @return array[] Each: time_gmt (MySQL datetime), order_id, order_number, outcome (HELD or FAILED), reason.
	 */
	public static function log_entries() {
		$entries = get_option( self::LOG_OPTION, array() );
		return is_array( $entries ) ? $entries : array();
	}

	/**
	 * What became of the request, for the settings page.
	 *
	 * @param array $entry A log entry.
	 * @return string
	 */
	public static function outcome_label( array $entry ) {
		return self::HELD === $entry['outcome'] ? __( 'Not sent', 'crisisdesk-bridge' ) : __( 'Left to WooCommerce', 'crisisdesk-bridge' );
	}

	/**
	 * Why, for the settings page: what CrisisDesk said, or why it could not be asked.
	 *
	 * @param array $entry A log entry.
	 * @return string
	 */
	public static function reason_text( array $entry ) {
		if ( self::FAILED === $entry['outcome'] ) {
			return $entry['reason'];
		}
		$reasons = array(
			'open_case' => __( 'The customer has an open case.', 'crisisdesk-bridge' ),
			'opted_out' => __( 'The customer opted out of the shop\'s emails.', 'crisisdesk-bridge' ),
		);
		return isset( $reasons[ $entry['reason'] ] ) ? $reasons[ $entry['reason'] ] : __( 'CrisisDesk said not to send it.', 'crisisdesk-bridge' );
	}

	/**
	 * Ask the service; any failure (no answer, an error, an answer not in CrisisDesk's shape) is a WP_Error.
	 *
	 * @param CrisisDesk_Service_Client $client   The client.
	 * @param string                    $email    The order's billing email.
	 * @param int                       $order_id The order's id.
	 * @return array|WP_Error The answer's JSON, with a boolean "send".
	 */
	private static function ask( $client, $email, $order_id ) {
		try {
			$answer = $client->review_request_check( $email, $order_id, self::TIMEOUT );
		} catch ( Throwable $error ) {
			// An HTTP filter or transport that throws must not break the order's status change.
			/* translators: %s: the error. */
			return new WP_Error( 'crisisdesk_unreachable', sprintf( __( 'CrisisDesk could not be reached: %s', 'crisisdesk-bridge' ), $error->getMessage() ) );
		}
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( '' !== $answer['error'] ) {
			return new WP_Error( 'crisisdesk_review_request_check_failed', $answer['error'] );
		}
		if ( 200 !== $answer['status'] || ! is_array( $answer['body'] ) || ! isset( $answer['body']['send'] ) || ! is_bool( $answer['body']['send'] ) ) {
			return new WP_Error( 'crisisdesk_review_request_check_failed', __( 'CrisisDesk sent an answer this plugin does not understand.', 'crisisdesk-bridge' ) );
		}
		return $answer['body'];
	}

	/**
	 * Keep one entry, newest first, at most LOG_SIZE. Two orders completed at the same instant may
	 * lose one entry to the other's write: this is a hint for the admin, not a record.
	 *
	 * @param WC_Order $order   The order.
	 * @param string   $outcome HELD or FAILED.
	 * @param string   $reason  The service's reason code (held) or the error (failed).
	 */
	private static function log( $order, $outcome, $reason ) {
		$entry = array(
			'time_gmt'     => gmdate( 'Y-m-d H:i:s' ),
			'order_id'     => (int) $order->get_id(),
			'order_number' => (string) $order->get_order_number(),
			'outcome'      => $outcome,
			'reason'       => sanitize_text_field( $reason ),
		);
		update_option( self::LOG_OPTION, array_slice( array_merge( array( $entry ), self::log_entries() ), 0, self::LOG_SIZE ), false );
	}
}

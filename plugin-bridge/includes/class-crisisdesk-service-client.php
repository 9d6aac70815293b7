<?php
/**
 * Signed HTTP calls from WordPress to the CrisisDesk service.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Every call is signed with the shop's secret (Standard Webhooks). Plain wp_remote_request() is
 * used on purpose, not wp_safe_remote_request(): the service often runs on a private address or a
 * non-standard port, which the "safe" variant (and WooCommerce's own webhooks) refuse.
 * Redirects are not followed, because a redirected POST would arrive as a GET without its body.
 */
final class CrisisDesk_Service_Client {

	/** Seconds for event deliveries and admin actions; the dashboard widget uses a shorter one. */
	const TIMEOUT = 10;

	/** @var string */
	private $base_url;

	/** @var int */
	private $shop_id;

	/** @var string */
	private $secret;

	/**
	 * A client for one service and shop.
	 *
	 * @param string $base_url The service URL.
	 * @param int    $shop_id  The shop id at the service.
	 * @param string $secret   The shared secret.
	 */
	public function __construct( $base_url, $shop_id, $secret ) {
		$this->base_url = untrailingslashit( $base_url );
		$this->shop_id  = (int) $shop_id;
		$this->secret   = $secret;
	}

	/** @return self|WP_Error A client from the saved settings, or why there is none. */
	public static function from_config() {
		if ( ! CrisisDesk_Config::is_configured() ) {
			return new WP_Error( 'crisisdesk_not_configured', __( 'Set the CrisisDesk service URL, shop id and shared secret first.', 'crisisdesk-bridge' ) );
		}
		return new self( CrisisDesk_Config::service_url(), CrisisDesk_Config::shop_id(), CrisisDesk_Config::secret() );
	}

	/**
	 * Deliver one queued event with its stable webhook-id.
	 *
	 * @param string $webhook_id The event's id.
	 * @param string $body       The JSON envelope.
	 * @return array|WP_Error See request().
	 */
	public function send_event( $webhook_id, $body ) {
		return $this->request( 'POST', '/events', $body, self::TIMEOUT, $webhook_id );
	}

	/** @return array|WP_Error A signed ping: proves URL, shop id and secret together. */
	public function ping() {
		return $this->request( 'POST', '/ping', '{}', self::TIMEOUT );
	}

	/**
	 * The widget's summary (a signed GET with an empty body).
	 *
	 * @param int $timeout Seconds.
	 * @return array|WP_Error
	 */
	public function summary( $timeout ) {
		return $this->request( 'GET', '/summary', '', $timeout );
	}

	/**
	 * Ask the service to import the shop's history through WooCommerce's REST API.
	 *
	 * @param bool $restart Start over instead of resuming.
	 * @return array|WP_Error
	 */
	public function request_backfill( $restart = false ) {
		return $this->request( 'POST', '/backfill', wp_json_encode( array( 'restart' => (bool) $restart ) ), self::TIMEOUT );
	}

	/**
	 * What the service holds about one customer.
	 *
	 * @param string $email The customer's email.
	 * @return array|WP_Error
	 */
	public function privacy_export( $email ) {
		return $this->request( 'POST', '/privacy/export', wp_json_encode( array( 'email' => $email ) ), self::TIMEOUT );
	}

	/**
	 * Anonymise one customer at the service.
	 *
	 * @param string $email The customer's email.
	 * @return array|WP_Error
	 */
	public function privacy_erase( $email ) {
		return $this->request( 'POST', '/privacy/erase', wp_json_encode( array( 'email' => $email ) ), self::TIMEOUT );
	}

	/**
	 * Whether WooCommerce's own review request may be scheduled for this order's customer.
	 *
	 * @param string $email    The order's billing email.
	 * @param int    $order_id The order's id.
	 * @param int    $timeout  Seconds.
	 * @return array|WP_Error The body is {"send": true} or {"send": false, "reason": "open_case"|"opted_out"}.
	 */
	public function review_request_check( $email, $order_id, $timeout ) {
		$body = array(
			'email'    => $email,
			'order_id' => (int) $order_id,
		);
		return $this->request( 'POST', '/review-request-check', wp_json_encode( $body ), $timeout );
	}

	/**
	 * One signed request to /api/v1/shops/<id><path>.
	 *
	 * @param string      $method     HTTP method.
	 * @param string      $path       Path under the shop.
	 * @param string      $body       Exact body bytes ("" for GET).
	 * @param int         $timeout    Seconds.
	 * @param string|null $webhook_id A stable id, or null for a fresh one.
	 * @return array{status:int,body:?array,error:string,retry_after:int,elapsed_ms:int}|WP_Error A WP_Error
	 *         only when no answer came (connection refused, DNS, timeout); any HTTP answer is an array.
	 */
	public function request( $method, $path, $body, $timeout, $webhook_id = null ) {
		$url     = $this->base_url . '/api/v1/shops/' . $this->shop_id . $path;
		$headers = CrisisDesk_Signature::headers( $this->secret, $body, $webhook_id );
		$started = microtime( true );
		$answer  = wp_remote_request(
			$url,
			array(
				'method'      => $method,
				'timeout'     => $timeout,
				'redirection' => 0,
				'headers'     => $headers + array(
					'Content-Type' => 'application/json',
					'Accept'       => 'application/json',
				),
				'body'        => 'GET' === $method ? null : $body,
				'user-agent'  => 'CrisisDesk-Bridge/' . CRISISDESK_BRIDGE_VERSION . '; ' . home_url( '/' ),
			)
		);
		if ( is_wp_error( $answer ) ) {
			/* translators: %s: the transport's error message. */
			return new WP_Error( 'crisisdesk_unreachable', sprintf( __( 'CrisisDesk could not be reached: %s', 'crisisdesk-bridge' ), $answer->get_error_message() ) );
		}
		$status  = (int) wp_remote_retrieve_response_code( $answer );
		$decoded = json_decode( wp_remote_retrieve_body( $answer ), true );
		$decoded = is_array( $decoded ) ? $decoded : null;
		return array(
			'status'      => $status,
			'body'        => $decoded,
			'error'       => self::reason( $status, $decoded, $answer ),
			'retry_after' => self::retry_after( wp_remote_retrieve_header( $answer, 'retry-after' ) ),
			'elapsed_ms'  => (int) round( ( microtime( true ) - $started ) * 1000 ),
		);
	}

	/**
	 * A readable reason for a non-2xx answer: the service's JSON "error", else the status line.
	 *
	 * @param int        $status  HTTP status.
	 * @param array|null $decoded The JSON body.
	 * @param array      $answer  The raw response.
	 * @return string
	 */
	private static function reason( $status, $decoded, $answer ) {
		if ( $status >= 200 && $status < 300 ) {
			return '';
		}
		if ( $status >= 300 && $status < 400 ) {
			/* translators: 1: HTTP status, 2: the redirect target. */
			return sprintf( __( 'HTTP %1$d: the service URL redirects to %2$s; set the final address in the settings.', 'crisisdesk-bridge' ), $status, wp_remote_retrieve_header( $answer, 'location' ) );
		}
		$message = is_array( $decoded ) && isset( $decoded['error'] ) && is_string( $decoded['error'] ) ? $decoded['error'] : wp_remote_retrieve_response_message( $answer );
		return sprintf( 'HTTP %d: %s', $status, wp_strip_all_tags( (string) $message ) );
	}

	/**
	 * Seconds from a Retry-After header (seconds or an HTTP date), 0 when absent or unreadable.
	 *
	 * @param string|array $header Header value.
	 * @return int
	 */
	private static function retry_after( $header ) {
		$header = is_array( $header ) ? reset( $header ) : (string) $header;
		if ( '' === $header ) {
			return 0;
		}
		if ( ctype_digit( $header ) ) {
			return (int) $header;
		}
		$when = strtotime( $header );
		return $when ? max( 0, $when - time() ) : 0;
	}
}

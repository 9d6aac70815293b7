<?php
/**
 * Base class of the tests of the events-out side (EventsTest, DeliveryTest, SchedulingTest):
 * configures the plugin through its options to send to the recorder, reads the queue table,
 * and checks what the recorder received, signatures included, without the plugin's own signer.
 */

/**
 * Helpers for the event queue and its delivery.
 */
abstract class CrisisDesk_Events_TestCase extends CrisisDesk_TestCase {

	/** The shop id the tests configure. */
	const SHOP_ID = 7;

	/**
	 * The secret configured by configure(): "whsec_" + base64 of 32 random bytes.
	 *
	 * @var string
	 */
	protected $secret = '';

	/**
	 * Points the plugin at the recorder, through the options the settings page saves.
	 *
	 * @param string|null $service_url Another service URL (e.g. a closed port).
	 */
	protected function configure( $service_url = null ) {
		$this->secret = 'whsec_' . base64_encode( random_bytes( 32 ) );
		update_option( 'crisisdesk_service_url', null === $service_url ? $this->recorder_url() : $service_url );
		update_option( 'crisisdesk_shop_id', (string) self::SHOP_ID );
		update_option( 'crisisdesk_secret', $this->secret, false );
	}

	/**
	 * Every row of the queue, oldest first.
	 *
	 * @return object[]
	 */
	protected function rows() {
		global $wpdb;
		return $wpdb->get_results( 'SELECT * FROM ' . $wpdb->prefix . 'crisisdesk_events ORDER BY id ASC' );
	}

	/**
	 * One row of the queue.
	 *
	 * @param int $id Row id.
	 * @return object
	 */
	protected function row( $id ) {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( 'SELECT * FROM ' . $wpdb->prefix . 'crisisdesk_events WHERE id = %d', $id ) );
		$this->assertNotNull( $row, "queue row $id" );
		return $row;
	}

	/**
	 * Sets columns of one row directly (to make time pass for it).
	 *
	 * @param int   $id     Row id.
	 * @param array $fields Columns.
	 */
	protected function set_row( $id, array $fields ) {
		global $wpdb;
		$this->assertNotFalse( $wpdb->update( $wpdb->prefix . 'crisisdesk_events', $fields, array( 'id' => $id ) ) );
	}

	/**
	 * Makes every pending row due (as if its retry time had come).
	 */
	protected function make_pending_due() {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . $wpdb->prefix . 'crisisdesk_events SET next_attempt_gmt = %s WHERE status = %s', gmdate( 'Y-m-d H:i:s', time() - 1 ), 'pending' ) );
	}

	/**
	 * A GMT MySQL datetime as Unix seconds.
	 *
	 * @param string $gmt Datetime.
	 * @return int
	 */
	protected static function ts( $gmt ) {
		return (int) strtotime( $gmt . ' UTC' );
	}

	/**
	 * Queues one review.created event through the storefront path, in a request of its own.
	 *
	 * @param int|null $product_id Product (a new one by default).
	 * @param array    $args       post_review() arguments.
	 * @return object The queue row.
	 */
	protected function queue_review_event( $product_id = null, array $args = array() ) {
		$product_id = null === $product_id ? $this->make_product( 'Gadget ' . wp_generate_password( 6, false ) ) : $product_id;
		$before     = count( $this->rows() );
		$this->post_review( $product_id, $args );
		$this->end_request();
		$rows = $this->rows();
		$this->assertCount( $before + 1, $rows, 'one event queued' );
		return end( $rows );
	}

	/**
	 * The POSTs the recorder received at this shop's events endpoint.
	 *
	 * @return array[]
	 */
	protected function event_requests() {
		$path = '/api/v1/shops/' . self::SHOP_ID . '/events';
		return array_values(
			array_filter(
				$this->recorded_requests(),
				static function ( $request ) use ( $path ) {
					return $path === $request['path'];
				}
			)
		);
	}

	/**
	 * Asserts a recorded request is a signed POST of $body to the events endpoint, checking the
	 * Standard Webhooks signature independently of the plugin: HMAC-SHA256 over
	 * "id.timestamp.body" keyed with the base64-decoded secret.
	 *
	 * @param array       $request    A recorded request.
	 * @param string      $body       The exact body expected.
	 * @param string|null $webhook_id The webhook-id expected.
	 */
	protected function assert_signed_event( array $request, $body, $webhook_id = null ) {
		$this->assertSame( 'POST', $request['method'] );
		$this->assertSame( '/api/v1/shops/' . self::SHOP_ID . '/events', $request['path'] );
		$this->assertSame( '', $request['query'] );
		$this->assertSame( $body, $request['body'], 'the body is byte-identical to the queued one' );
		$this->assertStringStartsWith( 'application/json', $request['header']['content-type'] ?? '' );

		$id        = $request['header']['webhook-id'] ?? '';
		$timestamp = $request['header']['webhook-timestamp'] ?? '';
		$signature = $request['header']['webhook-signature'] ?? '';
		if ( null !== $webhook_id ) {
			$this->assertSame( $webhook_id, $id );
		}
		$this->assertMatchesRegularExpression( '/^msg_[0-9a-f]{32}$/', $id );
		$this->assertMatchesRegularExpression( '/^\d+$/', $timestamp );
		$this->assertEqualsWithDelta( time(), (int) $timestamp, 5, 'webhook-timestamp is now' );

		$key      = base64_decode( substr( $this->secret, strlen( 'whsec_' ) ), true );
		$this->assertSame( 32, strlen( $key ) );
		$expected = 'v1,' . base64_encode( hash_hmac( 'sha256', $id . '.' . $timestamp . '.' . $request['body'], $key, true ) );
		$this->assertContains( $expected, preg_split( '/\s+/', trim( $signature ) ), 'webhook-signature matches HMAC-SHA256(id.timestamp.body)' );
	}

	/**
	 * Pending Action Scheduler actions of the delivery hook: [['id', 'hook', 'args', 'group', 'date', ...]].
	 *
	 * @return array[]
	 */
	protected function pending_delivery_actions() {
		return array_values(
			as_get_scheduled_actions(
				array(
					'hook'     => 'crisisdesk_deliver_events',
					'status'   => 'pending',
					'per_page' => -1,
				),
				ARRAY_A
			)
		);
	}

	/**
	 * A loopback port nothing listens on (connection refused).
	 *
	 * @return int
	 */
	protected static function closed_port() {
		$socket = stream_socket_server( 'tcp://127.0.0.1:0', $errno, $errstr );
		$name   = stream_socket_get_name( $socket, false );
		fclose( $socket );
		return (int) substr( $name, strrpos( $name, ':' ) + 1 );
	}
}

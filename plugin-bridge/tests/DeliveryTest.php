<?php
/**
 * Delivery of queued events by CrisisDesk_Runner::run() to the service (the recorder): signed
 * Standard Webhooks POSTs of the exact queued body, in creation order; retries with backoff that
 * keep the webhook-id; refusals parked with the service's reason; the retry window; retry of
 * failed rows; pruning; one runner at a time (SPEC sections 3 and 6, section 7 on retries).
 */

require_once __DIR__ . '/support/class-crisisdesk-events-testcase.php';

/**
 * Events out.
 */
class DeliveryTest extends CrisisDesk_Events_TestCase {

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
	}

	/**
	 * Queues $n review.created events, each in a request of its own.
	 *
	 * @param int $n How many.
	 * @return object[] The rows, oldest first.
	 */
	private function queue_reviews( $n ) {
		$product_id = $this->make_product( 'Widget' );
		$rows       = array();
		for ( $i = 0; $i < $n; $i++ ) {
			$rows[] = $this->queue_review_event( $product_id );
		}
		return $rows;
	}

	/**
	 * The webhook-ids of the recorded event requests, in order.
	 *
	 * @return string[]
	 */
	private function sent_ids() {
		return array_map(
			static function ( $request ) {
				return $request['header']['webhook-id'];
			},
			$this->event_requests()
		);
	}

	public function test_the_runner_posts_the_queued_body_signed_to_the_shops_events_endpoint() {
		$row = $this->queue_review_event();
		$this->assertSame( array(), $this->recorded_requests() );

		$done = CrisisDesk_Runner::run();

		$this->assertSame( array( 'delivered' => 1, 'failed' => 0, 'retrying' => 0 ), $done );
		$requests = $this->recorded_requests();
		$this->assertCount( 1, $requests );
		$this->assert_signed_event( $requests[0], $row->body, $row->webhook_id );
		$this->assertSame( 'review.created', $requests[0]['json']['type'] );
		$this->assertSame( (int) $row->resource_id, $requests[0]['json']['data']['id'] );

		$after = $this->row( $row->id );
		$this->assertSame( 'delivered', $after->status );
		$this->assertSame( '1', (string) $after->attempts );
		$this->assertSame( '202', (string) $after->last_http_status );
		$this->assertNull( $after->last_error );
		$this->assertEqualsWithDelta( time(), self::ts( $after->delivered_gmt ), 5 );
		$this->assertSame( $row->body, $after->body );

		$this->assertSame( array( 'delivered' => 0, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$this->assertCount( 1, $this->recorded_requests(), 'a delivered event is not sent again' );
	}

	public function test_signatures_match_the_standard_webhooks_reference_example() {
		// The example of the Standard Webhooks specification (and the Svix libraries' tests).
		$secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
		$this->assertSame( 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=', CrisisDesk_Signature::sign( $secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}' ) );
		$this->assertSame(
			array(
				'webhook-id'        => 'msg_p5jXN8AQM9LWM0D4loKWxJek',
				'webhook-timestamp' => '1614265330',
				'webhook-signature' => 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
			),
			CrisisDesk_Signature::headers( $secret, '{"test": 2432232314}', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330 )
		);
		$this->assertTrue( CrisisDesk_Signature::verify( $secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', '1614265330', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=', '{"test": 2432232314}', 1614265330 + 299 ) );
		$this->assertSame( 'crisisdesk_timestamp_stale', CrisisDesk_Signature::verify( $secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', '1614265330', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=', '{"test": 2432232314}', 1614265330 + 301 )->get_error_code() );
		$this->assertSame( 'crisisdesk_signature_invalid', CrisisDesk_Signature::verify( $secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', '1614265330', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=', '{"test": 2432232315}', 1614265330 )->get_error_code() );
	}

	public function test_a_service_under_a_path_with_a_trailing_slash_gets_the_events_under_that_path() {
		update_option( 'crisisdesk_service_url', $this->recorder_url( '/crisisdesk/' ) );
		$row = $this->queue_review_event();

		$this->assertSame( array( 'delivered' => 1, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );

		$requests = $this->recorded_requests();
		$this->assertCount( 1, $requests );
		$this->assertSame( '/crisisdesk/api/v1/shops/' . self::SHOP_ID . '/events', $requests[0]['path'] );
		$this->assertSame( $row->body, $requests[0]['body'] );
	}

	public function test_the_signature_checks_out_for_an_order_body_with_unicode_and_slashes() {
		$order = $this->create_order(
			array(
				'billing'       => array( 'first_name' => 'Zażółć', 'last_name' => 'Gęślą "Jaźń"' ),
				'customer_note' => 'Leave it at 12/3 <b>back door</b> & ring',
			)
		);
		$this->end_request();
		$row = $this->rows()[0];

		CrisisDesk_Runner::run();

		$requests = $this->event_requests();
		$this->assertCount( 1, $requests );
		$this->assert_signed_event( $requests[0], $row->body, $row->webhook_id );
		$this->assertSame( 'Gęślą "Jaźń"', $requests[0]['json']['data']['billing']['last_name'] );
		$this->assertSame( $order->get_id(), $requests[0]['json']['data']['id'] );
	}

	public function test_events_are_delivered_in_the_order_they_were_created() {
		$product_id = $this->make_product( 'Vase' );
		$order      = $this->create_order();
		$this->end_request();
		$review = $this->post_review( $product_id );
		$this->end_request();
		wc_standin_update_order_status( $order->get_id(), 'completed' );
		$this->end_request();
		wp_set_comment_status( $review, 'approve' );
		$this->end_request();
		$rows = $this->rows();
		$this->assertCount( 4, $rows );

		$this->assertSame( array( 'delivered' => 4, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );

		$this->assertSame( array_column( $rows, 'webhook_id' ), $this->sent_ids() );
		$this->assertSame( array( 'order.created', 'review.created', 'order.updated', 'review.status_changed' ), array_column( array_column( $this->event_requests(), 'json' ), 'type' ) );
		foreach ( $this->event_requests() as $i => $request ) {
			$this->assert_signed_event( $request, $rows[ $i ]->body, $rows[ $i ]->webhook_id );
		}
	}

	public function test_200_already_received_counts_as_delivered() {
		$row = $this->queue_review_event();
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array(
						'status'   => 'already_received',
						'event_id' => 12,
					),
				),
			)
		);

		$this->assertSame( array( 'delivered' => 1, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$after = $this->row( $row->id );
		$this->assertSame( 'delivered', $after->status );
		$this->assertSame( '200', (string) $after->last_http_status );
	}

	/**
	 * Answers a later attempt may cure.
	 *
	 * @return array
	 */
	public function retryable_answers() {
		return array(
			'500'                => array( 500, 'HTTP 500: boom' ),
			'503'                => array( 503, 'HTTP 503: boom' ),
			'408'                => array( 408, 'HTTP 408: boom' ),
			'429'                => array( 429, 'HTTP 429: boom' ),
			'connection refused' => array( null, 'CrisisDesk could not be reached: ' ),
		);
	}

	/**
	 * @dataProvider retryable_answers
	 *
	 * @param int|null $status HTTP status, or null for a closed port.
	 * @param string   $reason The reason stored.
	 */
	public function test_a_retryable_failure_keeps_the_event_pending_and_holds_the_events_behind_it( $status, $reason ) {
		$rows = $this->queue_reviews( 3 );
		if ( null === $status ) {
			update_option( 'crisisdesk_service_url', 'http://127.0.0.1:' . self::closed_port() );
		} else {
			$this->script_responses(
				array(
					array(
						'status' => $status,
						'body'   => array( 'error' => 'boom' ),
					),
				)
			);
		}

		$done = CrisisDesk_Runner::run();

		$this->assertSame( array( 'delivered' => 0, 'failed' => 0, 'retrying' => 1 ), $done );
		$this->assertSame( null === $status ? array() : array( $rows[0]->webhook_id ), $this->sent_ids(), 'the events behind it are not sent in this run' );
		$first = $this->row( $rows[0]->id );
		$this->assertSame( 'pending', $first->status );
		$this->assertSame( '1', (string) $first->attempts );
		$this->assertSame( null === $status ? null : (string) $status, $first->last_http_status );
		$this->assertStringStartsWith( $reason, $first->last_error );
		$this->assertEqualsWithDelta( time(), self::ts( $first->last_attempt_gmt ), 5 );
		$wait = self::ts( $first->next_attempt_gmt ) - time();
		$this->assertGreaterThanOrEqual( 53, $wait, 'about a minute (±10%)' );
		$this->assertLessThanOrEqual( 66, $wait, 'about a minute (±10%)' );
		foreach ( array( $rows[1], $rows[2] ) as $behind ) {
			$behind = $this->row( $behind->id );
			$this->assertSame( 'pending', $behind->status );
			$this->assertSame( '0', (string) $behind->attempts );
			$this->assertSame( $first->next_attempt_gmt, $behind->next_attempt_gmt, 'held behind the failed one' );
		}

		$this->assertSame( array( 'delivered' => 0, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run(), 'nothing is due before the retry time' );

		// The retry time comes; the service is back.
		update_option( 'crisisdesk_service_url', $this->recorder_url() );
		$this->make_pending_due();
		$this->assertSame( array( 'delivered' => 3, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$ids = array_column( $rows, 'webhook_id' );
		$this->assertSame( null === $status ? $ids : array_merge( array( $ids[0] ), $ids ), $this->sent_ids(), 'in order, the first with its webhook-id again' );
		$this->assertSame( '2', (string) $this->row( $rows[0]->id )->attempts );
	}

	public function test_a_retry_carries_the_same_webhook_id_and_body_with_a_fresh_timestamp_and_signature() {
		$row = $this->queue_review_event();
		$this->script_responses( array( array( 'status' => 503 ) ) );
		CrisisDesk_Runner::run();
		$this->make_pending_due();
		sleep( 1 ); // A later second, so that the timestamp must differ.

		CrisisDesk_Runner::run();

		list( $first, $second ) = $this->event_requests();
		$this->assert_signed_event( $first, $row->body, $row->webhook_id );
		$this->assert_signed_event( $second, $row->body, $row->webhook_id );
		$this->assertGreaterThan( (int) $first['header']['webhook-timestamp'], (int) $second['header']['webhook-timestamp'] );
		$this->assertNotSame( $first['header']['webhook-signature'], $second['header']['webhook-signature'] );
		$this->assertSame( 'delivered', $this->row( $row->id )->status );
	}

	public function test_a_timeout_is_retried() {
		$row = $this->queue_review_event();
		$this->script_responses(
			array(
				array(
					'status' => 202,
					'delay'  => 2,
				),
			)
		);
		// Shorten the plugin's 10 s timeout through WordPress's own filter.
		add_filter(
			'http_request_args',
			static function ( $args ) {
				$args['timeout'] = 0.5;
				return $args;
			}
		);

		$this->assertSame( array( 'delivered' => 0, 'failed' => 0, 'retrying' => 1 ), CrisisDesk_Runner::run() );
		$after = $this->row( $row->id );
		$this->assertSame( 'pending', $after->status );
		$this->assertSame( '1', (string) $after->attempts );
		$this->assertNull( $after->last_http_status );
		$this->assertStringStartsWith( 'CrisisDesk could not be reached: ', $after->last_error );
	}

	/**
	 * Retry-After values and the wait they give.
	 *
	 * @return array
	 */
	public function retry_after_answers() {
		return array(
			'503, seconds'           => array( 503, '600', 600 ),
			'429, an HTTP date'      => array( 429, '+900', 900 ),
			'more than six hours'    => array( 503, '86400', 21600 ),
			'shorter than a backoff' => array( 429, '5', null ),
		);
	}

	/**
	 * @dataProvider retry_after_answers
	 *
	 * @param int      $status      HTTP status.
	 * @param string   $retry_after Header value ("+N": an HTTP date N seconds ahead).
	 * @param int|null $expected    The wait, or null for the usual first backoff.
	 */
	public function test_retry_after_is_honoured( $status, $retry_after, $expected ) {
		$rows = $this->queue_reviews( 2 );
		if ( '+' === $retry_after[0] ) {
			$retry_after = gmdate( 'D, d M Y H:i:s', time() + (int) substr( $retry_after, 1 ) ) . ' GMT';
		}
		$this->script_responses(
			array(
				array(
					'status'  => $status,
					'headers' => array( 'Retry-After' => $retry_after ),
					'body'    => array( 'error' => 'slow down' ),
				),
			)
		);

		CrisisDesk_Runner::run();

		$first = $this->row( $rows[0]->id );
		$wait  = self::ts( $first->next_attempt_gmt ) - time();
		if ( null === $expected ) {
			$this->assertGreaterThanOrEqual( 53, $wait );
			$this->assertLessThanOrEqual( 66, $wait );
		} else {
			$this->assertGreaterThanOrEqual( $expected - 3, $wait );
			$this->assertLessThanOrEqual( $expected, $wait );
		}
		$this->assertSame( $first->next_attempt_gmt, $this->row( $rows[1]->id )->next_attempt_gmt );
		$this->assertCount( 1, $this->event_requests() );
	}

	public function test_backoff_starts_at_a_minute_doubles_and_stops_at_six_hours_with_ten_percent_jitter() {
		for ( $attempts = 1; $attempts <= 14; $attempts++ ) {
			$base   = min( 21600, 60 * ( 2 ** ( $attempts - 1 ) ) );
			$values = array();
			for ( $i = 0; $i < 200; $i++ ) {
				$values[] = CrisisDesk_Queue::backoff( $attempts );
			}
			$this->assertGreaterThanOrEqual( (int) floor( $base * 0.9 ), min( $values ), "attempt $attempts" );
			$this->assertLessThanOrEqual( (int) ceil( $base * 1.1 ), max( $values ), "attempt $attempts" );
			$this->assertLessThanOrEqual( 21600, max( $values ), "attempt $attempts: never more than six hours" );
			$this->assertGreaterThan( 1, count( array_unique( $values ) ), "attempt $attempts: jittered" );
		}
		$this->assertSame( array( 54, 66 ), array( (int) round( 60 * 0.9 ), (int) round( 60 * 1.1 ) ) );
		$this->assertLessThanOrEqual( 21600, CrisisDesk_Queue::backoff( 1000 ) );
		$this->assertGreaterThanOrEqual( 19440, CrisisDesk_Queue::backoff( 1000 ) );
	}

	public function test_each_failed_attempt_doubles_the_wait() {
		$row = $this->queue_review_event();
		$this->script_responses(
			array(
				array(
					'status' => 503,
					'repeat' => true,
				),
			)
		);
		$waits = array();
		for ( $attempt = 1; $attempt <= 4; $attempt++ ) {
			$this->make_pending_due();
			$this->assertSame( array( 'delivered' => 0, 'failed' => 0, 'retrying' => 1 ), CrisisDesk_Runner::run() );
			$after = $this->row( $row->id );
			$this->assertSame( (string) $attempt, (string) $after->attempts );
			$waits[] = self::ts( $after->next_attempt_gmt ) - time();
		}
		foreach ( array( 60, 120, 240, 480 ) as $i => $base ) {
			$this->assertGreaterThanOrEqual( floor( $base * 0.9 ) - 1, $waits[ $i ], "attempt $i" );
			$this->assertLessThanOrEqual( ceil( $base * 1.1 ), $waits[ $i ], "attempt $i" );
		}
		$this->assertCount( 4, $this->event_requests() );
		$this->assertSame( array_fill( 0, 4, $row->webhook_id ), $this->sent_ids() );
	}

	/**
	 * Answers no retry can cure.
	 *
	 * @return array
	 */
	public function refusals() {
		return array(
			'400 malformed'    => array( 400, 'data.rating must be a whole number from 0 to 5' ),
			'401 signature'    => array( 401, 'bad signature' ),
			'404 unknown shop' => array( 404, 'unknown shop' ),
			'413 too large'    => array( 413, 'body over 1 MiB' ),
		);
	}

	/**
	 * @dataProvider refusals
	 *
	 * @param int    $status HTTP status.
	 * @param string $error  The service's JSON "error".
	 */
	public function test_a_refused_event_is_parked_with_the_services_reason_and_later_events_still_go( $status, $error ) {
		$rows = $this->queue_reviews( 2 );
		$this->script_responses(
			array(
				array(
					'status' => $status,
					'body'   => array( 'error' => $error ),
				),
			)
		);

		$this->assertSame( array( 'delivered' => 1, 'failed' => 1, 'retrying' => 0 ), CrisisDesk_Runner::run() );

		$this->assertSame( array_column( $rows, 'webhook_id' ), $this->sent_ids() );
		$parked = $this->row( $rows[0]->id );
		$this->assertSame( 'failed', $parked->status );
		$this->assertSame( (string) $status, $parked->last_http_status );
		$this->assertSame( "HTTP $status: $error", $parked->last_error );
		$this->assertSame( '1', (string) $parked->attempts );
		$this->assertSame( 'delivered', $this->row( $rows[1]->id )->status );
		$this->assertSame( 1, CrisisDesk_Queue::stats()['failed'] );

		CrisisDesk_Runner::run();
		$this->assertCount( 2, $this->event_requests(), 'a parked event waits for an admin' );
	}

	public function test_a_refusal_without_a_json_error_is_parked_with_the_status_line() {
		$row = $this->queue_review_event();
		$this->script_responses(
			array(
				array(
					'status'  => 413,
					'headers' => array( 'Content-Type' => 'text/html' ),
					'body'    => '<html><body><h1>413 Request Entity Too Large</h1></body></html>',
				),
			)
		);
		CrisisDesk_Runner::run();
		$parked = $this->row( $row->id );
		$this->assertSame( 'failed', $parked->status );
		$this->assertSame( 'HTTP 413: ' . get_status_header_desc( 413 ), $parked->last_error, 'WordPress\'s status text, not the HTML page' );
	}

	public function test_a_redirect_is_not_followed_and_parks_the_event_with_a_hint() {
		$row = $this->queue_review_event();
		$this->script_responses(
			array(
				array(
					'status'  => 301,
					'headers' => array( 'Location' => $this->recorder_url( '/elsewhere/api/v1/shops/7/events' ) ),
				),
			)
		);
		CrisisDesk_Runner::run();
		$this->assertCount( 1, $this->recorded_requests(), 'not followed (a POST would arrive as a GET)' );
		$parked = $this->row( $row->id );
		$this->assertSame( 'failed', $parked->status );
		$this->assertSame( '301', (string) $parked->last_http_status );
		$this->assertStringContainsString( 'redirects to ' . $this->recorder_url( '/elsewhere/' ), $parked->last_error );
	}

	public function test_an_event_failing_after_four_days_of_retries_is_given_up_and_the_next_one_goes() {
		$rows = $this->queue_reviews( 3 );
		$this->set_row(
			$rows[0]->id,
			array(
				'attempts'         => 30,
				'window_start_gmt' => gmdate( 'Y-m-d H:i:s', time() - 4 * DAY_IN_SECONDS - 60 ),
			)
		);
		// Three days and 23 hours: still inside the window.
		$this->set_row(
			$rows[1]->id,
			array(
				'attempts'         => 29,
				'window_start_gmt' => gmdate( 'Y-m-d H:i:s', time() - 4 * DAY_IN_SECONDS + HOUR_IN_SECONDS ),
			)
		);
		$this->script_responses(
			array(
				array(
					'status' => 503,
					'body'   => array( 'error' => 'down' ),
				),
				array(
					'status' => 503,
					'body'   => array( 'error' => 'down' ),
				),
			)
		);

		$this->assertSame( array( 'delivered' => 0, 'failed' => 1, 'retrying' => 1 ), CrisisDesk_Runner::run() );

		$gave_up = $this->row( $rows[0]->id );
		$this->assertSame( 'failed', $gave_up->status );
		$this->assertSame( '31', (string) $gave_up->attempts );
		$this->assertSame( 'Gave up after 31 attempts over 4 days. Last error: HTTP 503: down', $gave_up->last_error );
		$this->assertSame( '503', (string) $gave_up->last_http_status );
		$next = $this->row( $rows[1]->id );
		$this->assertSame( 'pending', $next->status, 'still within its window' );
		$this->assertSame( '30', (string) $next->attempts );
		$this->assertSame( array( $rows[0]->webhook_id, $rows[1]->webhook_id ), $this->sent_ids() );
		$this->assertSame( $next->next_attempt_gmt, $this->row( $rows[2]->id )->next_attempt_gmt );
	}

	public function test_retry_failed_puts_parked_events_back_and_they_go_with_their_original_webhook_id() {
		$rows = $this->queue_reviews( 2 );
		$this->set_row( $rows[1]->id, array( 'window_start_gmt' => gmdate( 'Y-m-d H:i:s', time() - 5 * DAY_IN_SECONDS ) ) );
		$this->script_responses(
			array(
				array(
					'status' => 404,
					'body'   => array( 'error' => 'unknown shop' ),
				),
				array( 'status' => 500 ),
			)
		);
		CrisisDesk_Runner::run();
		$this->assertSame( array( 'failed', 'failed' ), array( $this->row( $rows[0]->id )->status, $this->row( $rows[1]->id )->status ) );

		$this->assertSame( 2, CrisisDesk_Queue::retry_failed() );
		foreach ( $rows as $row ) {
			$back = $this->row( $row->id );
			$this->assertSame( 'pending', $back->status );
			$this->assertEqualsWithDelta( time(), self::ts( $back->next_attempt_gmt ), 5, 'due now' );
			$this->assertEqualsWithDelta( time(), self::ts( $back->window_start_gmt ), 5, 'a fresh retry window' );
			$this->assertSame( $row->created_gmt, $back->created_gmt );
		}
		$this->assertSame( 0, CrisisDesk_Queue::retry_failed() );

		$this->assertSame( array( 'delivered' => 2, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$ids = array_column( $rows, 'webhook_id' );
		$this->assertSame( array_merge( $ids, $ids ), $this->sent_ids() );
		$requests = $this->event_requests();
		$this->assert_signed_event( $requests[2], $rows[0]->body, $rows[0]->webhook_id );
		$this->assert_signed_event( $requests[3], $rows[1]->body, $rows[1]->webhook_id );
	}

	/**
	 * Incomplete settings.
	 *
	 * @return array
	 */
	public function incomplete_settings() {
		return array(
			'nothing'          => array( array( 'crisisdesk_service_url' => '', 'crisisdesk_shop_id' => '', 'crisisdesk_secret' => '' ) ),
			'no URL'           => array( array( 'crisisdesk_service_url' => '' ) ),
			'no shop id'       => array( array( 'crisisdesk_shop_id' => '0' ) ),
			'a short secret'   => array( array( 'crisisdesk_secret' => 'whsec_' . base64_encode( 'short' ) ) ),
			'not a whsec_ one' => array( array( 'crisisdesk_secret' => base64_encode( random_bytes( 32 ) ) ) ),
		);
	}

	/**
	 * @dataProvider incomplete_settings
	 *
	 * @param array $options Options that spoil the configuration.
	 */
	public function test_nothing_is_sent_until_the_bridge_is_configured( array $options ) {
		$secret = get_option( 'crisisdesk_secret' );
		$url    = get_option( 'crisisdesk_service_url' );
		foreach ( $options as $name => $value ) {
			update_option( $name, $value );
		}
		$row = $this->queue_review_event();

		$this->assertSame( array( 'delivered' => 0, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );

		$this->assertSame( array(), $this->recorded_requests() );
		$after = $this->row( $row->id );
		$this->assertSame( 'pending', $after->status );
		$this->assertSame( '0', (string) $after->attempts );

		update_option( 'crisisdesk_service_url', $url );
		update_option( 'crisisdesk_shop_id', (string) self::SHOP_ID );
		update_option( 'crisisdesk_secret', $secret );
		$this->assertSame( array( 'delivered' => 1, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$this->assert_signed_event( $this->event_requests()[0], $row->body, $row->webhook_id );
	}

	public function test_delivered_rows_are_pruned_after_fourteen_days_and_pending_or_failed_ones_never() {
		$rows = $this->queue_reviews( 5 );
		$old  = gmdate( 'Y-m-d H:i:s', time() - 15 * DAY_IN_SECONDS );
		$this->set_row( $rows[0]->id, array( 'status' => 'delivered', 'delivered_gmt' => $old, 'created_gmt' => $old ) );
		$this->set_row( $rows[1]->id, array( 'status' => 'delivered', 'delivered_gmt' => gmdate( 'Y-m-d H:i:s', time() - 13 * DAY_IN_SECONDS ) ) );
		$this->set_row( $rows[2]->id, array( 'status' => 'failed', 'created_gmt' => gmdate( 'Y-m-d H:i:s', time() - 60 * DAY_IN_SECONDS ), 'last_error' => 'HTTP 400: x' ) );
		$this->set_row(
			$rows[3]->id,
			array(
				'created_gmt'      => gmdate( 'Y-m-d H:i:s', time() - 30 * DAY_IN_SECONDS ),
				'window_start_gmt' => gmdate( 'Y-m-d H:i:s', time() - HOUR_IN_SECONDS ),
				'next_attempt_gmt' => gmdate( 'Y-m-d H:i:s', time() + HOUR_IN_SECONDS ),
			)
		);
		$this->set_row( $rows[4]->id, array( 'next_attempt_gmt' => gmdate( 'Y-m-d H:i:s', time() + HOUR_IN_SECONDS ) ) );

		CrisisDesk_Runner::run();

		$this->assertSame(
			array( (int) $rows[1]->id, (int) $rows[2]->id, (int) $rows[3]->id, (int) $rows[4]->id ),
			array_map( 'intval', array_column( $this->rows(), 'id' ) )
		);
		$this->assertSame( array( 'delivered', 'failed', 'pending', 'pending' ), array_column( $this->rows(), 'status' ) );
	}

	public function test_a_second_runner_sends_nothing_while_the_first_holds_the_lock() {
		global $wpdb;
		$row = $this->queue_review_event();
		$db  = $this->second_connection();
		$lock = $db->real_escape_string( 'crisisdesk_runner_' . md5( DB_NAME . $wpdb->prefix ) );
		try {
			$this->assertSame( '1', (string) $db->query( "SELECT GET_LOCK('$lock', 0)" )->fetch_row()[0], 'the other runner holds the lock' );

			$this->assertSame( array( 'delivered' => 0, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
			$this->assertSame( array(), $this->recorded_requests() );
			$this->assertSame( 'pending', $this->row( $row->id )->status );
			$this->assertSame( '0', (string) $this->row( $row->id )->attempts );

			$db->query( "SELECT RELEASE_LOCK('$lock')" );
		} finally {
			$db->close();
		}

		$this->assertSame( array( 'delivered' => 1, 'failed' => 0, 'retrying' => 0 ), CrisisDesk_Runner::run() );
		$this->assertSame( array( $row->webhook_id ), $this->sent_ids() );
		$this->assertSame( '1', (string) $wpdb->get_var( $wpdb->prepare( 'SELECT IS_FREE_LOCK(%s)', 'crisisdesk_runner_' . md5( DB_NAME . $wpdb->prefix ) ) ), 'released after the run' );
	}

	public function test_an_exception_while_sending_is_a_retryable_failure_and_releases_the_lock() {
		global $wpdb;
		$rows = $this->queue_reviews( 2 );
		add_filter(
			'pre_http_request',
			static function () {
				throw new RuntimeException( 'transport exploded' );
			}
		);

		$this->assertSame( array( 'crisisdesk_deliver_events' ), wc_standin_run_scheduled_actions(), 'the action does not fail' );

		$first = $this->row( $rows[0]->id );
		$this->assertSame( 'pending', $first->status );
		$this->assertSame( '1', (string) $first->attempts );
		$this->assertSame( 'CrisisDesk could not be reached: transport exploded', $first->last_error );
		$this->assertSame( '0', (string) $this->row( $rows[1]->id )->attempts );
		$this->assertSame( $first->next_attempt_gmt, $this->row( $rows[1]->id )->next_attempt_gmt );
		$this->assertSame( '1', (string) $wpdb->get_var( $wpdb->prepare( 'SELECT IS_FREE_LOCK(%s)', 'crisisdesk_runner_' . md5( DB_NAME . $wpdb->prefix ) ) ) );
		$this->assertSame( array( self::ts( $first->next_attempt_gmt ) ), array_map( 'intval', array_column( $this->pending_delivery_actions(), 'date' ) ), 'the next run is planned' );
	}

	/**
	 * A second MariaDB connection, as another PHP process would have.
	 *
	 * @return mysqli
	 */
	private function second_connection() {
		$host = DB_HOST;
		$port = null;
		$sock = null;
		if ( preg_match( '/^(.*?):(\d+)$/', $host, $m ) ) {
			$host = $m[1];
			$port = (int) $m[2];
		} elseif ( preg_match( '/^(.*?):(\/.+)$/', $host, $m ) ) {
			$host = $m[1];
			$sock = $m[2];
		}
		$db = mysqli_init();
		$this->assertTrue( $db->real_connect( '' === $host ? 'localhost' : $host, DB_USER, DB_PASSWORD, DB_NAME, $port, $sock ) );
		return $db;
	}
}

<?php
/**
 * WooCommerce's own review request (10.8+), held while the customer has an open case: the filter
 * `woocommerce_should_send_review_request` as WooCommerce's Scheduler applies it when an order turns
 * completed, `apply_filters( 'woocommerce_should_send_review_request', true, $order )`, with the
 * stand-in's WC_Order (the stand-in imitates WooCommerce 7.9, which has no review request of its own,
 * so the tests apply the filter themselves), against the recorder as CrisisDesk.
 */

require_once __DIR__ . '/support/trait-crisisdesk-inbound-helpers.php';

/**
 * Review requests.
 */
class ReviewRequestsTest extends CrisisDesk_TestCase {

	use CrisisDesk_Inbound_Helpers;

	const EMAIL = 'grace@example.test';

	/**
	 * HTTP attempts this test made: the arguments WordPress's HTTP API sent them with.
	 *
	 * @var array[]
	 */
	private $attempts = array();

	protected function setUp(): void {
		parent::setUp();
		$this->attempts = array();
		add_action(
			'http_api_debug',
			function ( $response, $context, $transport, $args ) {
				$this->attempts[] = $args;
			},
			10,
			4
		);
	}

	/**
	 * A completed order billed to self::EMAIL.
	 *
	 * @return WC_Order
	 */
	private function completed_order() {
		$order = $this->create_order( array( 'billing' => array( 'email' => self::EMAIL ) ) );
		return wc_standin_update_order_status( $order->get_id(), 'completed' );
	}

	/**
	 * What WooCommerce's Scheduler asks when the order turns completed.
	 *
	 * @param WC_Order $order       The order.
	 * @param bool     $should_send The value the filter starts from (true in WooCommerce).
	 * @return bool
	 */
	private static function should_send( $order, $should_send = true ) {
		return (bool) apply_filters( 'woocommerce_should_send_review_request', $should_send, $order );
	}

	/**
	 * Scripts CrisisDesk's answer.
	 *
	 * @param array $body The JSON answer.
	 */
	private function service_answers( array $body ) {
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => $body,
				),
			)
		);
	}

	/**
	 * The review-request rows of the settings page: [outcome, reason] each.
	 *
	 * @return array[]
	 */
	private function logged_on_settings_page() {
		$this->login_as_admin();
		preg_match_all( '#<tr class="crisisdesk-review-request-(\w+)">.*?<td class="crisisdesk-reason">(.*?)</td>#s', $this->render_settings_page(), $rows, PREG_SET_ORDER );
		return array_map(
			static function ( $row ) {
				return array( $row[1], html_entity_decode( $row[2], ENT_QUOTES | ENT_HTML5, 'UTF-8' ) );
			},
			$rows
		);
	}

	public function test_it_hooks_the_filter_after_woocommerces_own_unsubscribe_check() {
		$this->assertSame( 20, has_filter( 'woocommerce_should_send_review_request', array( 'CrisisDesk_Review_Requests', 'should_send' ) ) );
	}

	public function test_an_open_case_holds_the_request_and_the_settings_page_says_why() {
		$this->configure( 7 );
		$order = $this->completed_order();
		$this->service_answers(
			array(
				'send'   => false,
				'reason' => 'open_case',
			)
		);

		$this->assertFalse( self::should_send( $order ) );

		$request = $this->only_request();
		$this->assertSame( 'POST', $request['method'] );
		$this->assertSame( '/api/v1/shops/7/review-request-check', $request['path'] );
		$this->assertSame(
			array(
				'email'    => self::EMAIL,
				'order_id' => $order->get_id(),
			),
			$request['json']
		);
		$this->assert_signed( $request );
		$this->assertSame( 2, $this->attempts[0]['timeout'], 'a short timeout: the order is being completed meanwhile' );
		$entries = CrisisDesk_Review_Requests::log_entries();
		$this->assertCount( 1, $entries );
		$this->assertSame( array( $order->get_id(), 'held', 'open_case' ), array( $entries[0]['order_id'], $entries[0]['outcome'], $entries[0]['reason'] ) );
		$this->assertSame( array( array( 'held', 'The customer has an open case.' ) ), $this->logged_on_settings_page() );
	}

	public function test_an_opt_out_holds_the_request_too() {
		$this->configure( 7 );
		$this->service_answers(
			array(
				'send'   => false,
				'reason' => 'opted_out',
			)
		);

		$this->assertFalse( self::should_send( $this->completed_order() ) );

		$this->assertSame( array( array( 'held', 'The customer opted out of the shop\'s emails.' ) ), $this->logged_on_settings_page() );
	}

	public function test_without_a_case_the_request_goes_and_each_order_is_asked_afresh() {
		$this->configure( 7 );
		$order = $this->completed_order();
		$this->service_answers( array( 'send' => true ) );

		$this->assertTrue( self::should_send( $order ) );

		$this->assertSame( array(), CrisisDesk_Review_Requests::log_entries(), 'only held and failed requests are logged' );
		$this->service_answers(
			array(
				'send'   => false,
				'reason' => 'open_case',
			)
		);
		$this->assertFalse( self::should_send( $order ), 'the previous answer is not reused' );
		$this->assertCount( 2, $this->recorded_requests() );
	}

	public function test_an_unreachable_service_leaves_the_request_to_woocommerce_and_is_not_asked_again_in_the_request() {
		$this->configure( 7, null, 'http://127.0.0.1:' . self::closed_port() );

		$this->assertTrue( self::should_send( $this->completed_order() ) );
		$this->assertTrue( self::should_send( $this->completed_order() ) );

		$this->assertCount( 1, $this->attempts, 'a bulk "mark completed" waits on a dead service once' );
		$logged = $this->logged_on_settings_page();
		$this->assertSame( array( 'failed', 'failed' ), array_column( $logged, 0 ) );
		$this->assertStringStartsWith( 'Not asked: CrisisDesk did not answer', $logged[0][1] );
		$this->assertStringStartsWith( 'CrisisDesk could not be reached:', $logged[1][1] );
	}

	public function test_an_error_answer_or_one_not_from_crisisdesk_leaves_the_request_to_woocommerce() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 503,
					'body'   => array( 'error' => 'the service cannot check this call for replays right now' ),
				),
			)
		);
		$this->assertTrue( self::should_send( $this->completed_order() ) );
		// The recorder's own default answer: 202 {"status":"accepted"}, not a CrisisDesk answer to this call.
		$this->assertTrue( self::should_send( $this->completed_order() ) );

		$this->assertSame(
			array(
				array( 'failed', 'CrisisDesk sent an answer this plugin does not understand.' ),
				array( 'failed', 'HTTP 503: the service cannot check this call for replays right now' ),
			),
			$this->logged_on_settings_page()
		);
	}

	public function test_a_request_already_refused_stays_refused_without_asking() {
		$this->configure( 7 );

		$this->assertFalse( self::should_send( $this->completed_order(), false ) );

		$this->assertSame( array(), $this->recorded_requests() );
		$this->assertSame( array(), CrisisDesk_Review_Requests::log_entries() );
	}

	public function test_not_connected_or_without_a_billing_email_nothing_is_asked() {
		$this->assertTrue( self::should_send( $this->completed_order() ) );
		$this->configure( 7 );
		$order = $this->create_order( array( 'billing' => array( 'email' => '' ) ) );
		$this->assertTrue( self::should_send( $order ) );

		$this->assertSame( array(), $this->recorded_requests() );
	}

	public function test_the_log_keeps_the_latest_entries_only() {
		$this->configure( 7 );
		$order = $this->completed_order();
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array(
						'send'   => false,
						'reason' => 'open_case',
					),
					'repeat' => true,
				),
			)
		);

		for ( $i = 0; $i < CrisisDesk_Review_Requests::LOG_SIZE + 2; $i++ ) {
			$this->assertFalse( self::should_send( $order ) );
		}

		$this->assertCount( CrisisDesk_Review_Requests::LOG_SIZE, CrisisDesk_Review_Requests::log_entries() );
	}
}

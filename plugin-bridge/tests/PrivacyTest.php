<?php
/**
 * The personal-data exporter and eraser, driven through WordPress's own machinery: the Ajax
 * handlers that Tools → Export/Erase Personal Data call (wp_ajax_wp_privacy_export_personal_data,
 * wp_ajax_wp_privacy_erase_personal_data) with a real user request, their nonce and the
 * administrator's rights, and the page processors WordPress hooks after them.
 */

require_once __DIR__ . '/support/trait-crisisdesk-inbound-helpers.php';

/**
 * Privacy.
 */
class PrivacyTest extends CrisisDesk_TestCase {

	use CrisisDesk_Inbound_Helpers;

	const EMAIL = 'grace@example.test';

	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/ajax-actions.php';
		require_once ABSPATH . 'wp-admin/includes/privacy-tools.php';
		// What wp-admin/includes/admin-filters.php hooks in an admin request.
		add_filter( 'wp_privacy_personal_data_erasure_page', 'wp_privacy_process_personal_data_erasure_page', 10, 5 );
		add_filter( 'wp_privacy_personal_data_export_page', 'wp_privacy_process_personal_data_export_page', 10, 7 );
	}

	/**
	 * Calls a wp-admin Ajax handler as admin-ajax.php does and returns the JSON it sent.
	 *
	 * @param callable $handler Handler.
	 * @param array    $post    $_POST.
	 * @return array Decoded wp_send_json_*() answer.
	 */
	private function ajax( callable $handler, array $post ) {
		$_POST    = wp_slash( $post );
		$_REQUEST = $_POST;
		add_filter( 'wp_doing_ajax', '__return_true' );
		ob_start();
		try {
			$handler();
			$this->fail( 'the handler did not answer' );
		} catch ( CrisisDesk_WP_Die_Exception $e ) {
			$this->addToAssertionCount( 1 ); // wp_send_json() ends with wp_die().
		} finally {
			$output = ob_get_clean();
			remove_filter( 'wp_doing_ajax', '__return_true' );
			$_POST    = array();
			$_REQUEST = array();
		}
		$answer = json_decode( $output, true );
		$this->assertIsArray( $answer, "JSON from the handler: $output" );
		return $answer;
	}

	/**
	 * Runs our exporter for a new export request the way the Export Personal Data screen does.
	 *
	 * @return array{0:array,1:int} The Ajax answer and the request id.
	 */
	private function export_through_wordpress() {
		$this->login_as_admin();
		// Another plugin's exporter after ours, so that ours is not the last one (the last one
		// makes WordPress build the zip file, which is not what is tested here).
		add_filter(
			'wp_privacy_personal_data_exporters',
			static function ( $exporters ) {
				$exporters['later-plugin'] = array(
					'exporter_friendly_name' => 'Later plugin',
					'callback'               => static function () {
						return array(
							'data' => array(),
							'done' => true,
						);
					},
				);
				return $exporters;
			},
			99
		);
		$request_id = wp_create_user_request( self::EMAIL, 'export_personal_data' );
		$this->assertIsInt( $request_id );
		$keys  = array_keys( apply_filters( 'wp_privacy_personal_data_exporters', array() ) );
		$index = array_search( 'crisisdesk-bridge', $keys, true ) + 1;
		$answer = $this->ajax(
			'wp_ajax_wp_privacy_export_personal_data',
			array(
				'id'          => $request_id,
				'exporter'    => $index,
				'page'        => 1,
				'security'    => wp_create_nonce( 'wp-privacy-export-personal-data-' . $request_id ),
				'sendAsEmail' => 'false',
			)
		);
		return array( $answer, $request_id );
	}

	/**
	 * Runs our eraser for a new erasure request the way the Erase Personal Data screen does.
	 *
	 * @return array{0:array,1:int} The Ajax answer and the request id.
	 */
	private function erase_through_wordpress() {
		$this->login_as_admin();
		$request_id = wp_create_user_request( self::EMAIL, 'remove_personal_data', array(), 'confirmed' );
		$this->assertIsInt( $request_id );
		$keys  = array_keys( apply_filters( 'wp_privacy_personal_data_erasers', array() ) );
		$index = array_search( 'crisisdesk-bridge', $keys, true ) + 1;
		$answer = $this->ajax(
			'wp_ajax_wp_privacy_erase_personal_data',
			array(
				'id'       => $request_id,
				'eraser'   => $index,
				'page'     => 1,
				'security' => wp_create_nonce( 'wp-privacy-erase-personal-data-' . $request_id ),
			)
		);
		return array( $answer, $request_id );
	}

	public function test_the_exporter_and_eraser_are_registered_under_the_plugins_id() {
		$exporters = apply_filters( 'wp_privacy_personal_data_exporters', array() );
		$erasers   = apply_filters( 'wp_privacy_personal_data_erasers', array() );
		$this->assertArrayHasKey( 'crisisdesk-bridge', $exporters );
		$this->assertArrayHasKey( 'crisisdesk-bridge', $erasers );
		$this->assertArrayHasKey( 'wordpress-comments', $exporters, 'next to WordPress\'s own' );
		$this->assertSame( 'CrisisDesk', $exporters['crisisdesk-bridge']['exporter_friendly_name'] );
		$this->assertSame( 'CrisisDesk', $erasers['crisisdesk-bridge']['eraser_friendly_name'] );
		$this->assertTrue( is_callable( $exporters['crisisdesk-bridge']['callback'] ) );
		$this->assertTrue( is_callable( $erasers['crisisdesk-bridge']['callback'] ) );
	}

	public function test_an_export_forwards_the_email_signed_and_returns_the_services_items() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array(
						'items' => array(
							array(
								'group_id'    => 'crisisdesk-orders',
								'group_label' => 'CrisisDesk orders',
								'item_id'     => 'order-12',
								'data'        => array(
									array(
										'name'  => 'Order number',
										'value' => '12',
									),
									array(
										'name'  => 'Billing email',
										'value' => self::EMAIL,
									),
									array(
										'name'  => 'Broken',
										'value' => array( 'nested' ),
									),
								),
							),
							array(
								'group_id'    => 'crisisdesk-cases',
								'group_label' => 'CrisisDesk cases',
								'item_id'     => 'case-3',
								'data'        => array(
									array(
										'name'  => 'Complaint',
										'value' => 'Arrived broken <b>twice</b>',
									),
								),
							),
							array( 'no' => 'group' ),
						),
					),
				),
			)
		);

		list( $answer, $request_id ) = $this->export_through_wordpress();

		$request = $this->only_request();
		$this->assertSame( 'POST', $request['method'] );
		$this->assertSame( '/api/v1/shops/7/privacy/export', $request['path'] );
		$this->assertSame( array( 'email' => self::EMAIL ), $request['json'] );
		$this->assert_signed( $request );

		$this->assertTrue( $answer['success'], wp_json_encode( $answer ) );
		$this->assertTrue( $answer['data']['done'] );
		$expected = array(
			array(
				'group_id'    => 'crisisdesk-orders',
				'group_label' => 'CrisisDesk orders',
				'item_id'     => 'order-12',
				'data'        => array(
					array(
						'name'  => 'Order number',
						'value' => '12',
					),
					array(
						'name'  => 'Billing email',
						'value' => self::EMAIL,
					),
				),
			),
			array(
				'group_id'    => 'crisisdesk-cases',
				'group_label' => 'CrisisDesk cases',
				'item_id'     => 'case-3',
				'data'        => array(
					array(
						'name'  => 'Complaint',
						'value' => 'Arrived broken <b>twice</b>',
					),
				),
			),
		);
		$this->assertSame( $expected, $answer['data']['data'] );
		$this->assertSame( $expected, get_post_meta( $request_id, '_export_data_raw', true ), 'WordPress keeps the items for the export file' );
	}

	public function test_an_export_of_someone_unknown_is_empty() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array( 'items' => array() ),
				),
			)
		);
		list( $answer ) = $this->export_through_wordpress();
		$this->assertTrue( $answer['success'] );
		$this->assertSame(
			array(
				'data' => array(),
				'done' => true,
			),
			$answer['data']
		);
	}

	public function test_a_service_error_stops_the_export_with_its_reason() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 400,
					'body'   => array(
						'error' => 'email must be one email address',
						'field' => 'email',
					),
				),
			)
		);
		list( $answer ) = $this->export_through_wordpress();
		$this->assertFalse( $answer['success'] );
		$this->assertSame( 'crisisdesk_privacy_failed', $answer['data'][0]['code'] );
		$this->assertStringContainsString( 'HTTP 400: email must be one email address', $answer['data'][0]['message'] );
	}

	public function test_an_unreachable_service_stops_the_export() {
		$this->configure( 7, null, 'http://127.0.0.1:' . self::closed_port() );
		$exporters = apply_filters( 'wp_privacy_personal_data_exporters', array() );
		$result    = call_user_func( $exporters['crisisdesk-bridge']['callback'], self::EMAIL, 1 );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'crisisdesk_unreachable', $result->get_error_code() );
	}

	public function test_not_configured_exports_nothing_and_asks_nothing() {
		list( $answer ) = $this->export_through_wordpress();
		$this->assertTrue( $answer['success'] );
		$this->assertSame( array(), $answer['data']['data'] );
		$this->assertTrue( $answer['data']['done'] );
		$this->assertSame( array(), $this->recorded_requests() );
	}

	public function test_an_erasure_forwards_the_email_and_reports_as_wordpress_expects() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array(
						'items_removed'  => 4,
						'items_retained' => 3,
						'messages'       => array(
							'CrisisDesk (Kettles) removed personal data from: 1 customer, 3 orders.',
							array( 'not a string' ),
							'CrisisDesk keeps 3 anonymised records for the shop\'s statistics.',
						),
					),
				),
			)
		);

		list( $answer, $request_id ) = $this->erase_through_wordpress();

		$request = $this->only_request();
		$this->assertSame( 'POST', $request['method'] );
		$this->assertSame( '/api/v1/shops/7/privacy/erase', $request['path'] );
		$this->assertSame( array( 'email' => self::EMAIL ), $request['json'] );
		$this->assert_signed( $request );

		$this->assertTrue( $answer['success'], wp_json_encode( $answer ) );
		$this->assertSame(
			array(
				'items_removed'  => true,
				'items_retained' => true,
				'messages'       => array(
					'CrisisDesk (Kettles) removed personal data from: 1 customer, 3 orders.',
					'CrisisDesk keeps 3 anonymised records for the shop\'s statistics.',
				),
				'done'           => true,
			),
			$answer['data']
		);
		$this->assertSame( 'request-completed', get_post_status( $request_id ), 'the last eraser completes the request' );
	}

	public function test_an_erasure_of_someone_unknown_removes_nothing() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array(
						'items_removed'  => 0,
						'items_retained' => 0,
						'messages'       => array( 'CrisisDesk holds no personal data for this email address in Kettles.' ),
					),
				),
			)
		);
		list( $answer ) = $this->erase_through_wordpress();
		$this->assertTrue( $answer['success'] );
		$this->assertFalse( $answer['data']['items_removed'] );
		$this->assertFalse( $answer['data']['items_retained'] );
	}

	public function test_a_service_error_stops_the_erasure() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 503,
					'body'   => array( 'error' => 'the service cannot check this call for replays right now' ),
				),
			)
		);
		list( $answer, $request_id ) = $this->erase_through_wordpress();
		$this->assertFalse( $answer['success'] );
		$this->assertSame( 'crisisdesk_privacy_failed', $answer['data'][0]['code'] );
		$this->assertStringContainsString( 'HTTP 503: the service cannot check this call for replays right now', $answer['data'][0]['message'] );
		$this->assertSame( 'request-confirmed', get_post_status( $request_id ), 'not completed' );
	}

	public function test_not_configured_erasure_explains_why_nothing_was_sent() {
		list( $answer ) = $this->erase_through_wordpress();
		$this->assertTrue( $answer['success'] );
		$this->assertFalse( $answer['data']['items_removed'] );
		$this->assertSame( array( 'The CrisisDesk bridge is not connected, so nothing was sent to CrisisDesk.' ), $answer['data']['messages'] );
		$this->assertSame( array(), $this->recorded_requests() );
	}

	public function test_an_invalid_email_is_refused_before_anything_is_sent() {
		$this->configure( 7 );
		$exporters = apply_filters( 'wp_privacy_personal_data_exporters', array() );
		$erasers   = apply_filters( 'wp_privacy_personal_data_erasers', array() );
		foreach ( array( $exporters, $erasers ) as $registered ) {
			$result = call_user_func( $registered['crisisdesk-bridge']['callback'], 'not-an-email', 1 );
			$this->assertInstanceOf( WP_Error::class, $result );
			$this->assertSame( 'crisisdesk_invalid_email', $result->get_error_code() );
		}
		$this->assertSame( array(), $this->recorded_requests() );
	}
}

<?php
/**
 * The settings page (WooCommerce → CrisisDesk) and its admin-post.php actions, driven as
 * admin-post.php drives them (do_action( "admin_post_{$action}" ) with $_POST and a nonce), with
 * the redirect each action ends in intercepted, and the page rendered as the user then sees it.
 */

require_once __DIR__ . '/support/trait-crisisdesk-inbound-helpers.php';

/**
 * Settings page.
 */
class AdminTest extends CrisisDesk_TestCase {

	use CrisisDesk_Inbound_Helpers;

	const ACTIONS = array(
		'crisisdesk_save_settings',
		'crisisdesk_test_connection',
		'crisisdesk_retry_failed',
		'crisisdesk_deliver_now',
		'crisisdesk_request_backfill',
	);

	/**
	 * The options of the connection, as stored.
	 *
	 * @return array
	 */
	private static function stored() {
		return array(
			'url'    => get_option( 'crisisdesk_service_url', null ),
			'shop'   => get_option( 'crisisdesk_shop_id', null ),
			'secret' => get_option( 'crisisdesk_secret', null ),
			'user'   => get_option( 'crisisdesk_reply_user_id', null ),
		);
	}

	/**
	 * Queues one event of each given status through the plugin's queue.
	 *
	 * @param string $status pending or failed.
	 * @param string $reason A failed event's reason.
	 * @return int Row id.
	 */
	private static function queue_event( $status, $reason = 'HTTP 400: data.id is required' ) {
		if ( 'failed' === $status ) {
			return CrisisDesk_Queue::enqueue( 'review.created', 'review', 41, null, $reason );
		}
		return CrisisDesk_Queue::enqueue( 'order.created', 'order', 12, '{"type":"order.created","occurred_at":"2026-11-22T10:00:00Z","data":{"id":12}}' );
	}

	/*
	 * Menu and permissions.
	 */

	public function test_the_page_is_under_woocommerce_for_shop_managers() {
		self::load_admin_functions();
		global $submenu, $_registered_pages;
		$this->login_as( 'shop_manager' );
		do_action( 'admin_menu', '' );

		$entries = array_values(
			array_filter(
				(array) ( $submenu['woocommerce'] ?? array() ),
				static function ( $entry ) {
					return 'crisisdesk' === $entry[2];
				}
			)
		);
		$this->assertCount( 1, $entries, 'WooCommerce → CrisisDesk' );
		$this->assertSame( 'CrisisDesk', $entries[0][0] );
		$this->assertSame( 'manage_woocommerce', $entries[0][1] );
		$this->assertArrayHasKey( get_plugin_page_hookname( 'crisisdesk', 'woocommerce' ), $_registered_pages );
		$this->assertSame( admin_url( 'admin.php?page=crisisdesk' ), CrisisDesk_Admin::page_url() );

		$links = apply_filters( 'plugin_action_links_crisisdesk-bridge/crisisdesk-bridge.php', array( '<a href="#">Deactivate</a>' ) );
		$this->assertSame( '<a href="' . esc_url( admin_url( 'admin.php?page=crisisdesk' ) ) . '">Settings</a>', $links[0] );
	}

	/**
	 * @return array
	 */
	public function roles_without_the_right() {
		return array(
			'customer'   => array( 'customer' ),
			'subscriber' => array( 'subscriber' ),
			'editor'     => array( 'editor' ),
		);
	}

	/**
	 * @dataProvider roles_without_the_right
	 *
	 * @param string $role Role.
	 */
	public function test_users_without_manage_woocommerce_are_refused_every_action_and_the_page( $role ) {
		self::queue_event( 'failed' );
		$this->login_as( $role );
		$this->assertFalse( current_user_can( 'manage_woocommerce' ) );
		foreach ( self::ACTIONS as $action ) {
			$die = $this->assert_wp_die(
				function () use ( $action ) {
					$this->admin_post(
						$action,
						array(
							'crisisdesk_service_url' => 'http://evil.example',
							'crisisdesk_shop_id'     => '66',
							'crisisdesk_secret'      => self::other_secret(),
						)
					);
				},
				'not allowed'
			);
			$this->assertSame( 403, $die->getCode(), $action );
		}
		$die = $this->assert_wp_die(
			function () {
				$this->render_settings_page();
			},
			'not allowed'
		);
		$this->assertSame( 403, $die->getCode() );

		$this->assertSame( array( 'url' => null, 'shop' => null, 'secret' => null, 'user' => null ), self::stored() );
		$this->assertSame( 'failed', self::event_rows()[0]->status, 'nothing retried' );
		$this->assertSame( array(), $this->recorded_requests(), 'nothing sent' );
	}

	public function test_logged_out_visitors_reach_no_action() {
		foreach ( self::ACTIONS as $action ) {
			$this->assertFalse( has_action( 'admin_post_nopriv_' . $action ), $action );
			$this->assertNotFalse( has_action( 'admin_post_' . $action ), $action );
		}
	}

	public function test_a_missing_or_wrong_nonce_is_refused() {
		$this->login_as_admin();
		self::queue_event( 'failed' );
		$fields = array(
			'crisisdesk_service_url' => 'http://127.0.0.1:5000',
			'crisisdesk_shop_id'     => '3',
			'crisisdesk_secret'      => self::secret(),
		);
		foreach ( self::ACTIONS as $action ) {
			foreach ( array( false, 'abc123', wp_create_nonce( 'some_other_action' ) ) as $nonce ) {
				$die = $this->assert_wp_die(
					function () use ( $action, $fields, $nonce ) {
						$this->admin_post( $action, $fields, $nonce );
					},
					'The link you followed has expired.'
				);
				$this->assertSame( 403, $die->getCode() );
			}
		}
		// Another user's nonce is no nonce either.
		$nonce = wp_create_nonce( 'crisisdesk_save_settings' );
		$this->login_as( 'shop_manager' );
		$this->assert_wp_die(
			function () use ( $fields, $nonce ) {
				$this->admin_post( 'crisisdesk_save_settings', $fields, $nonce );
			},
			'The link you followed has expired.'
		);
		$this->assertSame( array( 'url' => null, 'shop' => null, 'secret' => null, 'user' => null ), self::stored() );
		$this->assertSame( 'failed', self::event_rows()[0]->status );
		$this->assertSame( array(), $this->recorded_requests() );
	}

	/*
	 * Saving.
	 */

	public function test_a_shop_manager_saves_the_connection_and_the_reply_user() {
		$manager = $this->login_as( 'shop_manager' );
		$agent   = $this->make_user( 'shop_manager' );
		set_transient( CrisisDesk_Widget::CACHE_KEY, array( 'stale' ), 60 );

		$location = $this->admin_post(
			'crisisdesk_save_settings',
			array(
				'crisisdesk_service_url'   => '  http://10.0.0.5:5000/  ',
				'crisisdesk_shop_id'       => '12',
				'crisisdesk_secret'        => ' ' . self::secret() . ' ',
				'crisisdesk_reply_user_id' => (string) $agent,
			)
		);

		$this->assertSame(
			array(
				'url'    => 'http://10.0.0.5:5000',
				'shop'   => '12',
				'secret' => self::secret(),
				'user'   => $agent,
			),
			self::stored()
		);
		$this->assertArrayNotHasKey( 'crisisdesk_secret', wp_load_alloptions(), 'the secret is not autoloaded on every page' );
		$this->assertFalse( get_transient( CrisisDesk_Widget::CACHE_KEY ), 'the widget reads the new service' );
		$this->assertTrue( CrisisDesk_Config::is_configured() );
		$this->assertNotFalse( as_next_scheduled_action( 'crisisdesk_deliver_events', array(), 'crisisdesk' ), 'events queued before can go now' );
		$this->assertSame( array( 'success', 'Settings saved. Use "Test connection" to check them.' ), $this->notice_after( $location ) );
		$this->assertNull( self::notice( $this->render_settings_page() ), 'the notice shows once' );
		$this->assertSame( $manager->ID, get_current_user_id() );
	}

	public function test_without_a_chosen_reply_user_the_saving_user_replies() {
		$manager = $this->login_as( 'shop_manager' );
		$this->admin_post(
			'crisisdesk_save_settings',
			array(
				'crisisdesk_service_url' => 'https://crisisdesk.example.com',
				'crisisdesk_shop_id'     => '3',
				'crisisdesk_secret'      => self::secret(),
			)
		);
		$this->assertSame( $manager->ID, (int) get_option( 'crisisdesk_reply_user_id' ) );
	}

	/**
	 * @return array
	 */
	public function invalid_settings() {
		return array(
			'no URL'                 => array( array( 'crisisdesk_service_url' => '' ), 'The service URL must be a full http:// or https:// address.' ),
			'URL without a scheme'   => array( array( 'crisisdesk_service_url' => 'crisisdesk.example.com' ), 'The service URL must be a full http:// or https:// address.' ),
			'javascript: URL'        => array( array( 'crisisdesk_service_url' => 'javascript:alert(1)' ), 'The service URL must be a full http:// or https:// address.' ),
			'ftp URL'                => array( array( 'crisisdesk_service_url' => 'ftp://crisisdesk.example.com' ), 'The service URL must be a full http:// or https:// address.' ),
			'shop id zero'           => array( array( 'crisisdesk_shop_id' => '0' ), 'The shop id must be a positive whole number.' ),
			'shop id negative'       => array( array( 'crisisdesk_shop_id' => '-3' ), 'The shop id must be a positive whole number.' ),
			'shop id not a number'   => array( array( 'crisisdesk_shop_id' => '3a' ), 'The shop id must be a positive whole number.' ),
			'secret without prefix'  => array( array( 'crisisdesk_secret' => base64_encode( str_repeat( 'k', 32 ) ) ), 'The shared secret must start with "whsec_" and be copied whole.' ),
			'secret cut short'       => array( array( 'crisisdesk_secret' => 'whsec_' . base64_encode( 'short' ) ), 'The shared secret must start with "whsec_" and be copied whole.' ),
			'secret not base64'      => array( array( 'crisisdesk_secret' => 'whsec_***not base64***' ), 'The shared secret must start with "whsec_" and be copied whole.' ),
			'no secret stored'       => array( array( 'crisisdesk_secret' => '' ), 'Paste the shared secret that CrisisDesk showed when the shop was added.' ),
			'a customer replies'     => array( array( 'crisisdesk_reply_user_id' => 'customer' ), 'Replies must be posted by a user who may moderate reviews' ),
			'an editor replies'      => array( array( 'crisisdesk_reply_user_id' => 'editor' ), 'Replies must be posted by a user who may moderate reviews' ),
			'a user that is not'     => array( array( 'crisisdesk_reply_user_id' => '999999' ), 'Replies must be posted by a user who may moderate reviews' ),
		);
	}

	/**
	 * @dataProvider invalid_settings
	 *
	 * @param array  $change  Fields that differ from a valid form.
	 * @param string $message The error.
	 */
	public function test_an_invalid_field_shows_an_error_and_saves_nothing( array $change, $message ) {
		$this->login_as_admin();
		if ( isset( $change['crisisdesk_reply_user_id'] ) && ! ctype_digit( $change['crisisdesk_reply_user_id'] ) ) {
			$change['crisisdesk_reply_user_id'] = (string) $this->make_user( $change['crisisdesk_reply_user_id'] );
		}
		$form     = array_merge(
			array(
				'crisisdesk_service_url'   => 'https://crisisdesk.example.com',
				'crisisdesk_shop_id'       => '3',
				'crisisdesk_secret'        => self::secret(),
				'crisisdesk_reply_user_id' => '1',
			),
			$change
		);
		$location = $this->admin_post( 'crisisdesk_save_settings', $form );

		$this->assertSame( array( 'url' => null, 'shop' => null, 'secret' => null, 'user' => null ), self::stored(), 'nothing saved, not even the valid fields' );
		list( $type, $text ) = $this->notice_after( $location );
		$this->assertSame( 'error', $type );
		$this->assertStringContainsString( $message, $text );
	}

	public function test_several_invalid_fields_are_all_named() {
		$this->login_as_admin();
		$location = $this->admin_post(
			'crisisdesk_save_settings',
			array(
				'crisisdesk_service_url' => 'nope',
				'crisisdesk_shop_id'     => 'x',
				'crisisdesk_secret'      => 'y',
			)
		);
		list( $type, $text ) = $this->notice_after( $location );
		$this->assertSame( 'error', $type );
		$this->assertStringContainsString( 'service URL', $text );
		$this->assertStringContainsString( 'shop id', $text );
		$this->assertStringContainsString( 'shared secret', $text );
	}

	public function test_an_empty_secret_field_keeps_the_stored_secret() {
		$this->configure( 3 );
		$this->login_as_admin();
		$location = $this->admin_post(
			'crisisdesk_save_settings',
			array(
				'crisisdesk_service_url' => 'https://other.example.com',
				'crisisdesk_shop_id'     => '4',
				'crisisdesk_secret'      => '',
			)
		);
		$this->assertSame( 'success', $this->notice_after( $location )[0] );
		$this->assertSame( self::secret(), get_option( 'crisisdesk_secret' ) );
		$this->assertSame( 'https://other.example.com', get_option( 'crisisdesk_service_url' ) );
		$this->assertSame( '4', get_option( 'crisisdesk_shop_id' ) );

		// A new one replaces it.
		$this->admin_post(
			'crisisdesk_save_settings',
			array(
				'crisisdesk_service_url' => 'https://other.example.com',
				'crisisdesk_shop_id'     => '4',
				'crisisdesk_secret'      => self::other_secret(),
			)
		);
		$this->assertSame( self::other_secret(), get_option( 'crisisdesk_secret' ) );
	}

	/*
	 * The page.
	 */

	public function test_the_page_never_shows_the_secret() {
		$this->configure( 3 );
		$this->login_as_admin();
		$html = $this->render_settings_page();

		$this->assertStringNotContainsString( self::secret(), $html );
		$this->assertStringNotContainsString( substr( self::secret(), 6, 20 ), $html );
		$this->assertStringContainsString( esc_attr( 'whsec_…' . substr( self::secret(), -4 ) ), $html, 'the last four characters as a hint' );
		$this->assertMatchesRegularExpression( '#<input\s+type="password"\s+id="crisisdesk_secret"\s+name="crisisdesk_secret"\s+value=""#', $html );
		$this->assertStringContainsString( 'value="' . esc_attr( $this->recorder_url() ) . '"', $html );
		$this->assertMatchesRegularExpression( '#name="crisisdesk_shop_id"\s+value="3"#', $html );
		$this->assertStringContainsString( 'name="_wpnonce" value="' . wp_create_nonce( 'crisisdesk_save_settings' ) . '"', $html );
		foreach ( array( 'crisisdesk_test_connection', 'crisisdesk_deliver_now', 'crisisdesk_request_backfill' ) as $action ) {
			$this->assertStringContainsString( 'name="action" value="' . $action . '"', $html );
			$this->assertStringContainsString( 'value="' . wp_create_nonce( $action ) . '"', $html );
		}
		$this->assertStringContainsString( 'name="crisisdesk_restart" value="1"', $html );
		$this->assertStringNotContainsString( 'Fixed by', $html, 'options, not constants' );
	}

	public function test_a_short_or_odd_secret_is_never_shown_whole() {
		$this->login_as_admin();
		update_option( 'crisisdesk_secret', 'zq9Xk' );
		$html = $this->render_settings_page();
		$this->assertStringNotContainsString( 'zq9Xk', $html );
		$this->assertStringNotContainsString( '9Xk', $html );
		$this->assertSame( 'whsec_…', CrisisDesk_Config::masked_secret() );
	}

	public function test_the_reply_user_list_offers_only_users_who_can_reply() {
		$this->login_as_admin();
		$manager  = $this->make_user( 'shop_manager', array( 'display_name' => 'Manager Mia' ) );
		$customer = $this->make_user( 'customer', array( 'display_name' => 'Customer Cody' ) );
		$editor   = $this->make_user( 'editor', array( 'display_name' => 'Editor Eve' ) );
		update_option( 'crisisdesk_reply_user_id', $manager );
		$html = $this->render_settings_page();
		$this->assertMatchesRegularExpression( "#<option value='$manager' selected='selected'>Manager Mia</option>#", $html );
		$this->assertStringNotContainsString( 'Customer Cody', $html );
		$this->assertStringNotContainsString( 'Editor Eve', $html, 'an editor cannot read orders, which events need' );
		$this->assertStringNotContainsString( "value='$customer'", $html );
		$this->assertStringNotContainsString( "value='$editor'", $html );
	}

	public function test_queue_status_shows_counts_and_escaped_failure_reasons() {
		$this->login_as_admin();
		self::queue_event( 'pending' );
		self::queue_event( 'pending' );
		self::queue_event( 'failed', 'HTTP 400: <script>alert("x")</script> & more' );
		$html = $this->render_settings_page();

		$this->assertMatchesRegularExpression( '#<td class="crisisdesk-pending">2</td>#', $html );
		$this->assertMatchesRegularExpression( '#<td class="crisisdesk-failed">1</td>#', $html );
		$this->assertStringNotContainsString( '<script>alert', $html );
		$this->assertStringContainsString( '<td class="crisisdesk-reason">HTTP 400: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</td>', $html );
		$this->assertStringContainsString( '<code>review.created</code>', $html );
		$this->assertStringContainsString( 'review #41', $html );
		$this->assertStringContainsString( 'name="action" value="crisisdesk_retry_failed"', $html, 'a retry button when something failed' );
	}

	public function test_without_failures_there_is_no_retry_button_or_failure_table() {
		$this->login_as_admin();
		self::queue_event( 'pending' );
		$html = $this->render_settings_page();
		$this->assertStringNotContainsString( 'crisisdesk_retry_failed', $html );
		$this->assertStringNotContainsString( 'crisisdesk-failed-events', $html );
		$this->assertMatchesRegularExpression( '#<td class="crisisdesk-failed">0</td>#', $html );
	}

	public function test_notices_are_escaped_and_kept_per_user() {
		$this->configure( 3 );
		$this->script_responses(
			array(
				array(
					'status' => 401,
					'body'   => array( 'error' => '<img src=x onerror=alert(1)>' ),
				),
			)
		);
		$this->login_as_admin();
		$location = $this->admin_post( 'crisisdesk_test_connection' );

		$this->login_as( 'shop_manager' );
		$this->assertNull( self::notice( $this->render_settings_page() ), 'another user does not see it' );
		$this->login_as_admin();
		$html = $this->render_settings_page();
		$this->assertStringNotContainsString( '<img', $html );
		$this->assertSame( admin_url( 'admin.php?page=crisisdesk' ), $location );
	}

	/*
	 * Test connection.
	 */

	public function test_test_connection_sends_a_signed_ping_and_names_the_shop() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array(
						'status'       => 'ok',
						'shop'         => array(
							'id'   => 7,
							'name' => 'Sklep <Ania>',
						),
						'service_time' => gmdate( 'Y-m-d\TH:i:s\Z' ),
					),
				),
			)
		);
		$this->login_as_admin();
		$location = $this->admin_post( 'crisisdesk_test_connection' );

		$request = $this->only_request();
		$this->assertSame( 'POST', $request['method'] );
		$this->assertSame( '/api/v1/shops/7/ping', $request['path'] );
		$this->assertSame( '{}', $request['body'] );
		$this->assert_signed( $request );
		list( $type, $text ) = $this->notice_after( $location );
		$this->assertSame( 'success', $type );
		$this->assertMatchesRegularExpression( '/^Connected\. .*"Sklep <Ania>".* \d+ ms\.$/', $text );
		$this->assertStringNotContainsString( 'clock', $text );
	}

	public function test_every_call_gets_a_new_webhook_id() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array(
						'status' => 'ok',
						'shop'   => array(
							'id'   => 7,
							'name' => 'A',
						),
					),
					'repeat' => true,
				),
			)
		);
		$this->login_as_admin();
		$this->admin_post( 'crisisdesk_test_connection' );
		$this->admin_post( 'crisisdesk_test_connection' );
		$requests = $this->recorded_requests();
		$this->assertCount( 2, $requests );
		$this->assertNotSame( $requests[0]['header']['webhook-id'], $requests[1]['header']['webhook-id'], 'the service uses the ids of these calls once' );
	}

	public function test_test_connection_warns_about_a_skewed_clock() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array(
						'status'       => 'ok',
						'shop'         => array(
							'id'   => 7,
							'name' => 'Shop',
						),
						'service_time' => gmdate( 'Y-m-d\TH:i:s\Z', time() + 240 ),
					),
				),
			)
		);
		$this->login_as_admin();
		list( $type, $text ) = $this->notice_after( $this->admin_post( 'crisisdesk_test_connection' ) );
		$this->assertSame( 'warning', $type, 'signatures fail once the clocks are 5 minutes apart' );
		$this->assertStringContainsString( 'Connected.', $text );
		$this->assertMatchesRegularExpression( '/clock .*\b2(39|40|41) seconds\b/', $text );
	}

	public function test_test_connection_shows_the_services_refusal() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 401,
					'body'   => array( 'error' => 'no signature matches the shop\'s secret' ),
				),
			)
		);
		$this->login_as_admin();
		list( $type, $text ) = $this->notice_after( $this->admin_post( 'crisisdesk_test_connection' ) );
		$this->assertSame( 'error', $type );
		$this->assertStringContainsString( 'HTTP 401', $text );
		$this->assertStringContainsString( 'no signature matches the shop\'s secret', $text );
	}

	public function test_test_connection_says_when_the_service_is_unreachable() {
		$this->configure( 7, null, 'http://127.0.0.1:' . self::closed_port() );
		$this->login_as_admin();
		list( $type, $text ) = $this->notice_after( $this->admin_post( 'crisisdesk_test_connection' ) );
		$this->assertSame( 'error', $type );
		$this->assertStringContainsString( 'CrisisDesk could not be reached', $text );
	}

	public function test_test_connection_does_not_mistake_another_server_for_crisisdesk() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status'  => 200,
					'body'    => '<html><body>Welcome to nginx!</body></html>',
					'headers' => array( 'Content-Type' => 'text/html' ),
				),
				array(
					'status' => 200,
					'body'   => array(
						'status' => 'ok',
						'shop'   => array(
							'id'   => 8,
							'name' => 'Someone else',
						),
					),
				),
			)
		);
		$this->login_as_admin();
		list( $type, $text ) = $this->notice_after( $this->admin_post( 'crisisdesk_test_connection' ) );
		$this->assertSame( 'error', $type );
		$this->assertStringNotContainsString( 'Connected', $text );
		$this->assertStringContainsString( 'service URL', $text );

		list( $type, $text ) = $this->notice_after( $this->admin_post( 'crisisdesk_test_connection' ) );
		$this->assertSame( 'error', $type, 'the answer must be about this shop' );
		$this->assertStringNotContainsString( 'Connected', $text );
	}

	public function test_test_connection_needs_the_settings_first() {
		$this->login_as_admin();
		list( $type, $text ) = $this->notice_after( $this->admin_post( 'crisisdesk_test_connection' ) );
		$this->assertSame( 'error', $type );
		$this->assertStringContainsString( 'Set the CrisisDesk service URL, shop id and shared secret first.', $text );
		$this->assertSame( array(), $this->recorded_requests() );
	}

	/*
	 * Queue actions.
	 */

	public function test_retry_failed_requeues_failed_events_and_starts_a_run() {
		$this->configure( 7 );
		$pending = self::queue_event( 'pending' );
		$failed  = array( self::queue_event( 'failed' ), self::queue_event( 'failed' ) );
		as_unschedule_all_actions( 'crisisdesk_deliver_events' );
		$this->login_as( 'shop_manager' );

		list( $type, $text ) = $this->notice_after( $this->admin_post( 'crisisdesk_retry_failed' ) );

		$this->assertSame( 'success', $type );
		$this->assertSame( '2 failed events are queued again.', $text );
		$statuses = array_column( array_map( 'get_object_vars', self::event_rows() ), 'status', 'id' );
		$this->assertSame( array( $pending => 'pending', $failed[0] => 'pending', $failed[1] => 'pending' ), $statuses );
		$this->assertNotFalse( as_next_scheduled_action( 'crisisdesk_deliver_events', array(), 'crisisdesk' ) );
		$this->assertMatchesRegularExpression( '#<td class="crisisdesk-failed">0</td>#', $this->render_settings_page() );
	}

	public function test_deliver_now_sends_due_events_in_this_request() {
		$this->configure( 7 );
		self::queue_event( 'pending' );
		$this->login_as_admin();
		list( $type, $text ) = $this->notice_after( $this->admin_post( 'crisisdesk_deliver_now' ) );
		$this->assertSame( 'success', $type );
		$this->assertSame( 'Delivered 1, failed 0, waiting to retry 0.', $text );
		$request = $this->only_request();
		$this->assertSame( '/api/v1/shops/7/events', $request['path'] );
		$this->assert_signed( $request );
		$this->assertSame( 'delivered', self::event_rows()[0]->status );
	}

	/*
	 * Import history.
	 */

	public function test_import_history_asks_the_service_to_resume_or_restart() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 202,
					'body'   => array( 'status' => 'queued' ),
				),
				array(
					'status' => 202,
					'body'   => array( 'status' => 'queued' ),
				),
			)
		);
		$this->login_as_admin();
		list( $type, $text ) = $this->notice_after( $this->admin_post( 'crisisdesk_request_backfill' ) );
		$this->assertSame( 'success', $type );
		$this->assertStringContainsString( 'CrisisDesk is importing this shop\'s orders and reviews.', $text );
		$this->assertSame( 'success', $this->notice_after( $this->admin_post( 'crisisdesk_request_backfill', array( 'crisisdesk_restart' => '1' ) ) )[0] );

		$requests = $this->recorded_requests();
		$this->assertCount( 2, $requests );
		foreach ( array( false, true ) as $i => $restart ) {
			$this->assertSame( 'POST', $requests[ $i ]['method'] );
			$this->assertSame( '/api/v1/shops/7/backfill', $requests[ $i ]['path'] );
			$this->assertSame( array( 'restart' => $restart ), $requests[ $i ]['json'] );
			$this->assert_signed( $requests[ $i ] );
		}
	}

	public function test_import_history_shows_why_the_service_did_not_start() {
		$this->configure( 7 );
		$this->script_responses(
			array(
				array(
					'status' => 409,
					'body'   => array( 'error' => 'a backfill of this shop is already queued or running' ),
				),
			)
		);
		$this->login_as_admin();
		list( $type, $text ) = $this->notice_after( $this->admin_post( 'crisisdesk_request_backfill' ) );
		$this->assertSame( 'error', $type );
		$this->assertStringContainsString( 'CrisisDesk did not start the import', $text );
		$this->assertStringContainsString( 'HTTP 409: a backfill of this shop is already queued or running', $text );
	}

	public function test_import_history_when_the_service_is_down() {
		$this->configure( 7, null, 'http://127.0.0.1:' . self::closed_port() );
		$this->login_as_admin();
		list( $type, $text ) = $this->notice_after( $this->admin_post( 'crisisdesk_request_backfill' ) );
		$this->assertSame( 'error', $type );
		$this->assertStringContainsString( 'CrisisDesk could not be reached', $text );
	}
}

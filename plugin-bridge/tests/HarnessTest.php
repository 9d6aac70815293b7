<?php
/**
 * Tests of the test harness itself: the throw-away site, the WooCommerce stand-in (against the
 * recorded payloads in tests/fixtures/woocommerce/), the recorder and the per-test reset.
 */

/**
 * Harness tests.
 */
class HarnessTest extends CrisisDesk_TestCase {

	/**
	 * Keys of an array, recursively for the first element of lists, to compare shapes.
	 *
	 * @param array $data Data.
	 * @return array
	 */
	private static function shape( array $data ) {
		$shape = array();
		foreach ( $data as $key => $value ) {
			if ( is_array( $value ) && $value && array_keys( $value ) !== range( 0, count( $value ) - 1 ) ) {
				$shape[ $key ] = self::shape( $value );
			} elseif ( is_array( $value ) && $value && is_array( $value[0] ) ) {
				$shape[ $key ] = array( self::shape( $value[0] ) );
			} else {
				$shape[ $key ] = gettype( $value );
			}
		}
		return $shape;
	}

	/**
	 * is_plugin_active() lives in wp-admin/includes/plugin.php, which a front-end request (and so
	 * this process) does not load.
	 */
	private static function load_plugin_functions() {
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
	}

	public function test_the_site_is_a_loaded_wordpress_with_pretty_permalinks_and_the_woocommerce_stand_in() {
		self::load_plugin_functions();
		$site = $this->site();
		$this->assertTrue( is_blog_installed() );
		$this->assertSame( $site['dir'] . '/', ABSPATH );
		$this->assertSame( CRISISDESK_TEST_SITE_URL, home_url() );
		$this->assertSame( '/%postname%/', get_option( 'permalink_structure' ) );
		$this->assertSame( CRISISDESK_TEST_SITE_URL . '/wp-json/wc/v3/orders/1', rest_url( 'wc/v3/orders/1' ) );
		$this->assertTrue( is_link( $site['dir'] . '/wp-includes' ), 'WordPress comes from Debian\'s package' );
		$this->assertFalse( is_link( $site['dir'] . '/wp-config.php' ) );
		$this->assertTrue( DISABLE_WP_CRON );

		$this->assertTrue( class_exists( 'WooCommerce' ) );
		$this->assertSame( '7.9.0', WC()->version );
		$this->assertTrue( is_plugin_active( 'woocommerce/woocommerce.php' ) );
		$this->assertTrue( post_type_exists( 'product' ) );
		$this->assertTrue( taxonomy_exists( 'product_cat' ) );
		$admin = get_role( 'administrator' );
		foreach ( array( 'manage_woocommerce', 'read_private_shop_orders', 'edit_shop_orders', 'read_product', 'moderate_comments' ) as $cap ) {
			$this->assertTrue( $admin->has_cap( $cap ), $cap );
		}
	}

	public function test_the_plugin_is_installed_as_a_copy_and_active() {
		self::load_plugin_functions();
		$dir = $this->site()['plugin_dir'];
		$this->assertTrue( is_plugin_active( 'crisisdesk-bridge/crisisdesk-bridge.php' ) );
		$this->assertFileExists( $dir . '/crisisdesk-bridge.php' );
		$this->assertFalse( is_link( $dir . '/crisisdesk-bridge.php' ), 'copied, not linked' );
		$this->assertDirectoryDoesNotExist( $dir . '/tests', 'tests are not shipped' );
		$this->assertFileDoesNotExist( $dir . '/phpunit.xml.dist' );
		$this->assertSame(
			array( 'crisisdesk-bridge/crisisdesk-bridge.php' => true ),
			\Automattic\WooCommerce\Utilities\FeaturesUtil::standin_declarations()['custom_order_tables'] ?? null,
			'declared on before_woocommerce_init'
		);
	}

	public function test_an_order_reads_for_the_admin_in_the_recorded_rest_shape() {
		$order = $this->create_order( array( 'customer_id' => 1 ) );
		$this->login_as_admin();

		$response = $this->rest( 'GET', '/wc/v3/orders/' . $order->get_id() );
		$data     = $this->rest_data( $response );

		$this->assertSame( 200, $response->get_status() );
		$recorded = $this->fixture( 'order_created.json' );
		$this->assertSame( self::shape( $recorded ), self::shape( $data ) );
		$this->assertSame( array_keys( $recorded ), array_keys( $data ), 'same field order' );
		$this->assertSame( $order->get_id(), $data['id'] );
		$this->assertSame( 'processing', $data['status'] );
		$this->assertSame( '72.50', $data['total'] );
		$this->assertSame( $recorded['billing'], $data['billing'] );
		$this->assertSame( (string) $order->get_id(), $data['number'] );
		$this->assertSame( rest_url( 'wc/v3/orders/' . $order->get_id() ), $data['_links']['self'][0]['href'] );
		$this->assertSame( rest_url( 'wc/v3/customers/1' ), $data['_links']['customer'][0]['href'] );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/', $data['date_created_gmt'] );
		$this->assertSame( 'shop_order', get_post_type( $order->get_id() ), 'orders are posts, as in WooCommerce 7.9' );
	}

	public function test_an_order_is_refused_to_visitors_and_customers_and_unknown_ids_are_404() {
		$order = $this->create_order();
		$route = '/wc/v3/orders/' . $order->get_id();

		$anonymous = $this->rest( 'GET', $route );
		$this->assertSame( 401, $anonymous->get_status() );
		$this->assertSame( 'woocommerce_rest_cannot_view', $anonymous->as_error()->get_error_code() );

		$this->login_as( 'customer' );
		$customer = $this->rest( 'GET', $route );
		$this->assertSame( 403, $customer->get_status() );

		$this->login_as_admin();
		$missing = $this->rest( 'GET', '/wc/v3/orders/999999' );
		$this->assertSame( 404, $missing->get_status() );
		$this->assertSame( 'woocommerce_rest_shop_order_invalid_id', $missing->as_error()->get_error_code() );
	}

	public function test_orders_fire_woocommerces_hooks_in_woocommerces_order() {
		$seen = array();
		foreach ( array( 'woocommerce_new_order', 'woocommerce_update_order', 'woocommerce_order_status_changed', 'woocommerce_order_partially_refunded', 'woocommerce_order_fully_refunded', 'woocommerce_refund_created', 'woocommerce_order_refunded', 'woocommerce_payment_complete' ) as $hook ) {
			add_action(
				$hook,
				static function ( ...$args ) use ( &$seen, $hook ) {
					$status = null;
					foreach ( $args as $arg ) {
						if ( $arg instanceof WC_Order ) {
							$status = $arg->get_status(); // The object changes later.
						}
					}
					$seen[] = array( $hook, $args, $status );
				},
				10,
				4
			);
		}

		$order = $this->create_order(
			array(
				'set_paid'    => true,
				'customer_id' => 1,
			)
		);
		$id    = $order->get_id();
		$this->assertSame( array( 'woocommerce_new_order', 'woocommerce_update_order', 'woocommerce_order_status_changed', 'woocommerce_payment_complete' ), array_column( $seen, 0 ) );
		$this->assertSame( $id, $seen[0][1][0] );
		$this->assertInstanceOf( WC_Order::class, $seen[0][1][1] );
		$this->assertSame( 'pending', $seen[0][2], 'a paid order is new while still pending' );
		$this->assertSame( array( $id, 'pending', 'processing' ), array_slice( $seen[2][1], 0, 3 ) );
		$this->assertInstanceOf( WC_Order::class, $seen[2][1][3] );

		$seen = array();
		wc_standin_update_order_status( $id, 'completed' );
		$this->assertSame( array( 'woocommerce_update_order', 'woocommerce_order_status_changed' ), array_column( $seen, 0 ) );
		$this->assertSame( array( $id, 'processing', 'completed' ), array_slice( $seen[1][1], 0, 3 ) );

		$seen    = array();
		$item_id = array_key_first( $order->get_items() );
		$refund  = wc_standin_refund_order(
			$id,
			array(
				'amount'        => '10.00',
				'reason'        => 'lab partial refund',
				'line_items'    => array(
					$item_id => array(
						'qty'          => 1,
						'refund_total' => 10,
					),
				),
				'restock_items' => true,
			)
		);
		$this->assertSame( array( 'woocommerce_order_partially_refunded', 'woocommerce_update_order', 'woocommerce_refund_created', 'woocommerce_order_refunded' ), array_column( $seen, 0 ) );
		$this->assertSame( array( $id, $refund->get_id() ), $seen[3][1] );

		$this->login_as_admin();
		$after    = $this->rest_data( $this->rest( 'GET', '/wc/v3/orders/' . $id ) );
		$recorded = $this->fixture( 'order_after_refund.json' );
		$this->assertSame( 'completed', $after['status'], 'a partial refund keeps the status' );
		$this->assertSame( '72.50', $after['total'] );
		$this->assertSame(
			array(
				array(
					'id'     => $refund->get_id(),
					'reason' => 'lab partial refund',
					'total'  => '-10.00',
				),
			),
			$after['refunds']
		);
		$this->assertSame( self::shape( $recorded ), self::shape( $after ) );
		$this->assertSame( array( '_reduced_stock', '_restock_refunded_items' ), array_column( $after['line_items'][0]['meta_data'], 'key' ) );
		$this->assertSame( '2', $after['line_items'][0]['meta_data'][0]['value'] );

		$refund_data = $this->rest_data( $this->rest( 'GET', "/wc/v3/orders/$id/refunds/" . $refund->get_id() ) );
		$this->assertSame( self::shape( $this->fixture( 'refund.json' ) ), self::shape( $refund_data ) );
		$this->assertSame( '10.00', $refund_data['amount'] );
		$this->assertSame( -1, $refund_data['line_items'][0]['quantity'] );
	}

	public function test_a_review_posted_through_the_storefront_path_reads_in_the_recorded_shape() {
		$product_id = $this->make_product( 'Lab Gadget' );
		$this->create_order(
			array(
				'billing'    => array( 'email' => 'grace@example.test' ),
				'line_items' => array( array( 'product_id' => $product_id ) ),
			)
		);
		$at_comment_post = null;
		add_action(
			'comment_post',
			static function ( $comment_id, $approved, $commentdata ) use ( &$at_comment_post ) {
				$at_comment_post = array( $comment_id, $approved, $commentdata['comment_type'], get_comment_meta( $comment_id, 'rating', true ) );
			},
			10,
			3
		);

		$comment_id = $this->post_review(
			$product_id,
			array(
				'author'   => 'Grace Hopper',
				'email'    => 'grace@example.test',
				'content'  => "Stopped working.\n\nAfter a week.",
				'rating'   => 2,
				'approved' => 1,
			)
		);

		$this->assertSame( array( $comment_id, 1, 'review', '2' ), $at_comment_post, 'comment_post(id, approved, data); the rating is there at priority 10' );
		$this->login_as_admin();
		$response = $this->rest( 'GET', '/wc/v3/products/reviews/' . $comment_id );
		$data     = $this->rest_data( $response );
		$this->assertSame( 200, $response->get_status() );
		$recorded = $this->fixture( 'review.json' );
		$this->assertSame( self::shape( $recorded ), self::shape( $data ) );
		$this->assertSame( array_keys( $recorded ), array_keys( $data ) );
		$this->assertSame( $comment_id, $data['id'] );
		$this->assertSame( $product_id, $data['product_id'] );
		$this->assertSame( 'Lab Gadget', $data['product_name'] );
		$this->assertSame( CRISISDESK_TEST_SITE_URL . '/product/lab-gadget/', $data['product_permalink'] );
		$this->assertSame( 'approved', $data['status'] );
		$this->assertSame( 'Grace Hopper', $data['reviewer'] );
		$this->assertSame( 'grace@example.test', $data['reviewer_email'] );
		$this->assertSame( "<p>Stopped working.</p>\n<p>After a week.</p>\n", $data['review'], 'view context: wpautop' );
		$this->assertSame( 2, $data['rating'] );
		$this->assertTrue( $data['verified'], 'bought the product' );
		$this->assertSame( rest_url( 'wc/v3/products/' . $product_id ), $data['_links']['up'][0]['href'] );

		$edit = $this->rest_data( $this->rest( 'GET', '/wc/v3/products/reviews/' . $comment_id, array( 'context' => 'edit' ) ) );
		$this->assertSame( "Stopped working.\n\nAfter a week.", $edit['review'], 'edit context: as stored' );
	}

	public function test_review_statuses_follow_wordpress_moderation_and_woocommerces_mapping() {
		$product_id = $this->make_product( 'Mug' );
		$held       = $this->post_review( $product_id );
		$spam       = $this->post_review( $product_id, array( 'approved' => 'spam' ) );
		$this->login_as_admin();

		$held_data = $this->rest_data( $this->rest( 'GET', "/wc/v3/products/reviews/$held" ) );
		$this->assertSame( 'hold', $held_data['status'], 'WordPress holds a first comment from an unknown address' );
		$this->assertFalse( $held_data['verified'] );
		$this->assertSame( 'spam', $this->rest_data( $this->rest( 'GET', "/wc/v3/products/reviews/$spam" ) )['status'] );

		wp_set_comment_status( $held, 'approve' );
		$this->assertSame( 'approved', $this->rest_data( $this->rest( 'GET', "/wc/v3/products/reviews/$held" ) )['status'] );
		wp_trash_comment( $held );
		$this->assertSame( 'trash', $this->rest_data( $this->rest( 'GET', "/wc/v3/products/reviews/$held" ) )['status'] );
	}

	public function test_the_review_route_checks_permissions_and_answers_404_like_woocommerce() {
		$product_id = $this->make_product( 'Mug' );
		$review     = $this->post_review( $product_id, array( 'approved' => 1 ) );
		$comment    = wp_insert_comment(
			array(
				'comment_post_ID' => 1,
				'comment_content' => 'A blog comment',
				'comment_type'    => 'comment',
			)
		);

		$anonymous = $this->rest( 'GET', "/wc/v3/products/reviews/$review" );
		$this->assertSame( 401, $anonymous->get_status() );
		$this->assertSame( 'woocommerce_rest_cannot_view', $anonymous->as_error()->get_error_code() );

		$this->login_as_admin();
		foreach ( array( 999999, $comment ) as $not_a_review ) {
			$missing = $this->rest( 'GET', "/wc/v3/products/reviews/$not_a_review" );
			$this->assertSame( 404, $missing->get_status() );
			$this->assertSame( 'woocommerce_rest_review_invalid_id', $missing->as_error()->get_error_code() );
		}
	}

	public function test_a_review_without_a_rating_is_stopped_as_woocommerce_does() {
		$product_id = $this->make_product( 'Mug' );
		$this->assert_wp_die(
			function () use ( $product_id ) {
				$this->post_review( $product_id, array( 'rating' => '' ) );
			},
			'Please rate the product.'
		);
		$this->assertSame( 0, (int) get_comments( array( 'count' => true ) ) );
	}

	public function test_the_recorder_records_wp_remote_post_and_answers_as_scripted() {
		$this->script_responses(
			array(
				array(
					'status' => 503,
					'body'   => array( 'error' => 'busy' ),
				),
			)
		);
		$url  = $this->recorder_url( '/api/v1/shops/7/events?x=1' );
		$args = array(
			'headers' => array(
				'Content-Type' => 'application/json',
				'webhook-id'   => 'msg_1',
			),
			'body'    => '{"type":"review.created"}',
			'timeout' => 5,
		);

		$first  = wp_remote_post( $url, $args );
		$second = wp_remote_post( $url, $args );

		$this->assertSame( 503, wp_remote_retrieve_response_code( $first ) );
		$this->assertSame( array( 'error' => 'busy' ), json_decode( wp_remote_retrieve_body( $first ), true ) );
		$this->assertSame( 202, wp_remote_retrieve_response_code( $second ) );
		$this->assertSame( array( 'status' => 'accepted' ), json_decode( wp_remote_retrieve_body( $second ), true ) );

		$requests = $this->recorded_requests();
		$this->assertCount( 2, $requests );
		$this->assertSame( 'POST', $requests[0]['method'] );
		$this->assertSame( '/api/v1/shops/7/events', $requests[0]['path'] );
		$this->assertSame( 'x=1', $requests[0]['query'] );
		$this->assertSame( 'msg_1', $requests[0]['header']['webhook-id'] );
		$this->assertSame( '{"type":"review.created"}', $requests[0]['body'] );
		$this->assertSame( array( 'type' => 'review.created' ), $requests[0]['json'] );
	}

	public function test_a_scripted_delay_makes_the_client_time_out() {
		$this->script_responses(
			array(
				array(
					'status' => 202,
					'delay'  => 1.5,
				),
			)
		);
		$answer = wp_remote_post( $this->recorder_url( '/slow' ), array( 'timeout' => 0.5 ) );
		$this->assertWPErrorCode( 'http_request_failed', $answer );
	}

	public function test_external_hosts_are_blocked() {
		$answer = wp_remote_get( 'https://example.com/' );
		$this->assertWPErrorCode( 'http_request_not_executed', $answer );
	}

	public function test_every_test_starts_from_the_activated_site() {
		$baseline_options = wp_load_alloptions();
		$product_id       = $this->make_product( 'Leftover' );
		$this->post_review( $product_id, array( 'approved' => 1 ) );
		$this->create_order();
		$user_id = $this->make_user( 'customer' );
		update_option( 'crisisdesk_leftover', 'x' );
		set_transient( 'crisisdesk_leftover', 'x', 60 );
		update_option( 'woocommerce_review_rating_required', 'no' );
		wp_schedule_single_event( time() + 60, 'crisisdesk_leftover_event' );
		wp_set_current_user( $user_id );
		$_POST['x'] = 'y';
		$this->script_responses( array( array( 'status' => 500 ) ) );
		wp_remote_get( $this->recorder_url( '/leftover' ) );
		wp_mail( 'someone@example.test', 'Leftover', 'Body' );
		$this->assertContains( 'Leftover', array_column( $this->sent_mails(), 'subject' ) );
		global $wpdb;
		$table = $wpdb->prefix . 'crisisdesk_events';
		$this->assertContains( $table, CrisisDesk_Test_State::baseline()['plugin_tables'] );
		$this->end_request(); // The plugin queues the review's and order's events.
		$this->assertGreaterThan( 0, (int) $wpdb->get_var( "SELECT COUNT(*) FROM `$table`" ) );
		$wpdb->query( "DROP TABLE `$table`" ); // The plugin's activation makes it again.

		CrisisDesk_Test_State::reset();

		$this->assertNull( get_post( $product_id ) );
		$this->assertSame( 0, (int) get_comments( array( 'count' => true ) ) );
		$this->assertSame( array(), wc_get_orders( array( 'limit' => -1 ) ) );
		$this->assertFalse( get_user_by( 'id', $user_id ) );
		$this->assertFalse( get_option( 'crisisdesk_leftover' ) );
		$this->assertFalse( get_transient( 'crisisdesk_leftover' ) );
		$this->assertSame( 'yes', get_option( 'woocommerce_review_rating_required' ) );
		$this->assertFalse( wp_next_scheduled( 'crisisdesk_leftover_event' ) );
		$this->assertSame( 0, get_current_user_id() );
		$this->assertSame( array(), $_POST );
		$this->assertSame( array(), $this->recorded_requests() );
		$this->assertSame( array(), $this->recorder()->pending_responses() );
		$this->assertSame( array(), $this->sent_mails() );
		$this->assertEquals( $baseline_options, wp_load_alloptions() );
		$this->assertSame( $table, $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $table ) ) );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM `$table`" ) );
	}

	public function test_run_cron_runs_due_events_as_wp_cron_does() {
		$runs = array();
		add_action(
			'crisisdesk_harness_probe',
			static function ( $arg ) use ( &$runs ) {
				$runs[] = array( $arg, wp_doing_cron() );
			}
		);
		wp_schedule_single_event( time() - 1, 'crisisdesk_harness_probe', array( 'now' ) );
		wp_schedule_single_event( time() + 600, 'crisisdesk_harness_probe', array( 'later' ) );

		$this->assertSame( array( 'crisisdesk_harness_probe' ), $this->run_cron( 'crisisdesk_harness_probe' ) );
		$this->assertSame( array( array( 'now', true ) ), $runs );
		$this->assertCount( 1, $this->scheduled_events( 'crisisdesk_harness_probe' ) );

		$this->run_cron( 'crisisdesk_harness_probe', time() + 601 );
		$this->assertSame( array( 'now', 'later' ), array_column( $runs, 0 ) );
		$this->assertFalse( wp_doing_cron() );
	}

	public function test_the_action_scheduler_stand_in_follows_action_schedulers_api() {
		$runs = array();
		add_action(
			'crisisdesk_harness_action',
			static function ( $arg = null ) use ( &$runs ) {
				$runs[] = array( $arg, as_next_scheduled_action( 'crisisdesk_harness_action', null, 'g' ) );
			}
		);
		$this->assertTrue( ActionScheduler::is_initialized() );
		$this->assertFalse( as_next_scheduled_action( 'crisisdesk_harness_action' ) );

		$later = time() + 300;
		$id    = as_schedule_single_action( $later, 'crisisdesk_harness_action', array( 'later' ), 'g' );
		$this->assertGreaterThan( 0, $id );
		$this->assertSame( $later, as_next_scheduled_action( 'crisisdesk_harness_action', null, 'g' ) );
		$this->assertFalse( as_next_scheduled_action( 'crisisdesk_harness_action', array(), 'g' ), 'an args array must match exactly' );
		as_enqueue_async_action( 'crisisdesk_harness_action', array( 'now' ), 'g' );
		$this->assertTrue( as_next_scheduled_action( 'crisisdesk_harness_action', null, 'g' ), 'a pending async action' );

		$this->assertSame( array( 'crisisdesk_harness_action' ), wc_standin_run_scheduled_actions() );
		$this->assertSame( array( array( 'now', true ) ), $runs, 'true while running' );
		$this->assertSame( $later, as_next_scheduled_action( 'crisisdesk_harness_action', null, 'g' ) );

		as_unschedule_all_actions( 'crisisdesk_harness_action', array(), 'g' );
		$this->assertSame( $later, as_next_scheduled_action( 'crisisdesk_harness_action', null, 'g' ), 'with hook and group, empty args match only empty args' );
		as_unschedule_all_actions( 'crisisdesk_harness_action' );
		$this->assertFalse( as_next_scheduled_action( 'crisisdesk_harness_action' ) );

		as_schedule_single_action( time() - 1, 'crisisdesk_harness_action', array( 'via cron' ), 'g' );
		$this->assertContains( 'action_scheduler_run_queue', $this->run_cron() );
		$this->assertSame( 'via cron', end( $runs )[0] );

		wc_standin_set_action_scheduler( false );
		$this->assertFalse( ActionScheduler::is_initialized() );
		$this->assertSame( 0, as_schedule_single_action( time(), 'crisisdesk_harness_action' ) );
	}

	/**
	 * Asserts a WP_Error with a code.
	 *
	 * @param string $code  Code.
	 * @param mixed  $value Value.
	 */
	private function assertWPErrorCode( $code, $value ) {
		$this->assertInstanceOf( WP_Error::class, $value );
		$this->assertSame( $code, $value->get_error_code(), $value->get_error_message() );
	}
}

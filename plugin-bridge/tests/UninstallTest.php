<?php
/**
 * Activation (the plugin's tables through dbDelta, idempotently) and uninstall.php, run the way
 * wp-admin runs them: activate_plugin() / deactivate_plugins() and uninstall_plugin(), which
 * defines WP_UNINSTALL_PLUGIN and includes the installed copy's uninstall.php.
 *
 * WP_UNINSTALL_PLUGIN is a constant, so uninstall.php runs once per PHP process: one test does it.
 * The harness recreates the dropped tables through the activation hook for the following tests.
 */

require_once __DIR__ . '/support/trait-crisisdesk-inbound-helpers.php';

/**
 * Activation and uninstall.
 */
class UninstallTest extends CrisisDesk_TestCase {

	use CrisisDesk_Inbound_Helpers;

	const PLUGIN = 'crisisdesk-bridge/crisisdesk-bridge.php';

	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
	}

	/**
	 * The plugin's tables that exist.
	 *
	 * @return string[]
	 */
	private static function tables() {
		global $wpdb;
		$tables = $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'crisisdesk_' ) . '%' ) );
		sort( $tables );
		return $tables;
	}

	/**
	 * Options whose names start with a prefix, read from the database (not the cache).
	 *
	 * @param string $prefix Prefix.
	 * @return string[]
	 */
	private static function options_like( $prefix ) {
		global $wpdb;
		$names = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s ORDER BY option_name", $wpdb->esc_like( $prefix ) . '%' ) );
		return $names;
	}

	/**
	 * Columns and keys of a table.
	 *
	 * @param string $table Table.
	 * @return string
	 */
	private static function create_table_sql( $table ) {
		global $wpdb;
		$row = $wpdb->get_row( "SHOW CREATE TABLE `$table`", ARRAY_N );
		return preg_replace( '/ AUTO_INCREMENT=\d+/', '', $row[1] );
	}

	/**
	 * Deactivates and activates the plugin as the Plugins screen does.
	 */
	private function reactivate() {
		$this->login_as_admin();
		deactivate_plugins( self::PLUGIN );
		$this->assertFalse( is_plugin_active( self::PLUGIN ) );
		$result = activate_plugin( self::PLUGIN );
		$this->assertNull( $result, is_wp_error( $result ) ? $result->get_error_message() . ' ' . wp_json_encode( $result->get_error_data() ) : '' );
		$this->assertTrue( is_plugin_active( self::PLUGIN ) );
	}

	public function test_activation_creates_both_tables_and_is_idempotent() {
		global $wpdb;
		$events  = $wpdb->prefix . 'crisisdesk_events';
		$replies = $wpdb->prefix . 'crisisdesk_replies';
		$wpdb->query( "DROP TABLE `$events`" );
		$wpdb->query( "DROP TABLE `$replies`" );
		delete_option( 'crisisdesk_db_version' );
		wp_clear_scheduled_hook( 'crisisdesk_sweep_queue' );
		$this->assertSame( array(), self::tables() );

		$this->reactivate();

		$this->assertSame( array( $events, $replies ), self::tables() );
		$this->assertSame( '1', get_option( 'crisisdesk_db_version' ) );
		$this->assertNotFalse( wp_next_scheduled( 'crisisdesk_sweep_queue' ), 'the hourly safety net' );
		$columns = $wpdb->get_col( "SHOW COLUMNS FROM `$events`" );
		foreach ( array( 'id', 'webhook_id', 'event_type', 'resource_type', 'resource_id', 'body', 'status', 'attempts', 'next_attempt_gmt', 'last_error', 'created_gmt', 'delivered_gmt' ) as $column ) {
			$this->assertContains( $column, $columns );
		}
		$this->assertSame( array( 'webhook_id', 'review_id', 'comment_id', 'created_gmt' ), $wpdb->get_col( "SHOW COLUMNS FROM `$replies`" ) );
		$this->assertSame( 'webhook_id', $wpdb->get_row( "SHOW KEYS FROM `$replies` WHERE Key_name = 'PRIMARY'" )->Column_name, 'one claim per webhook-id' );
		$this->assertSame( '0', $wpdb->get_row( "SHOW KEYS FROM `$events` WHERE Key_name = 'webhook_id'" )->Non_unique );

		// Used, then activated again: nothing lost, nothing changed, nothing printed.
		$row = CrisisDesk_Queue::enqueue( 'order.created', 'order', 5, '{"type":"order.created"}' );
		$wpdb->insert(
			$replies,
			array(
				'webhook_id'  => 'msg_kept',
				'review_id'   => 3,
				'comment_id'  => 4,
				'created_gmt' => gmdate( 'Y-m-d H:i:s' ),
			)
		);
		$before = array( self::create_table_sql( $events ), self::create_table_sql( $replies ) );
		$this->reactivate();
		$this->reactivate();
		$this->assertSame( $before, array( self::create_table_sql( $events ), self::create_table_sql( $replies ) ) );
		$this->assertSame( 'order.created', CrisisDesk_Queue::find( $row )->event_type );
		$this->assertSame( '1', $wpdb->get_var( "SELECT COUNT(*) FROM `$replies`" ) );
		$this->assertCount( 1, $this->scheduled_events( 'crisisdesk_sweep_queue' ), 'one sweep, not one per activation' );
	}

	public function test_an_older_schema_is_upgraded_when_the_plugin_loads() {
		global $wpdb;
		$wpdb->query( "DROP TABLE `{$wpdb->prefix}crisisdesk_replies`" );
		update_option( 'crisisdesk_db_version', '0' );
		CrisisDesk_Schema::maybe_upgrade(); // What plugins_loaded runs.
		$this->assertContains( $wpdb->prefix . 'crisisdesk_replies', self::tables() );
		$this->assertSame( '1', get_option( 'crisisdesk_db_version' ) );
	}

	public function test_deactivation_stops_the_schedules_and_keeps_the_queue() {
		$this->configure( 7 );
		$row = CrisisDesk_Queue::enqueue( 'order.created', 'order', 5, '{"type":"order.created"}' );
		CrisisDesk_Runner::schedule( 60 );
		$this->assertNotFalse( as_next_scheduled_action( 'crisisdesk_deliver_events', array(), 'crisisdesk' ) );
		$this->login_as_admin();
		deactivate_plugins( self::PLUGIN );
		$this->assertFalse( as_next_scheduled_action( 'crisisdesk_deliver_events', array(), 'crisisdesk' ) );
		$this->assertFalse( wp_next_scheduled( 'crisisdesk_sweep_queue' ) );
		$this->assertSame( 'pending', CrisisDesk_Queue::find( $row )->status );
		$this->assertSame( self::secret(), get_option( 'crisisdesk_secret' ), 'settings survive a deactivation' );
	}

	public function test_uninstall_removes_everything_the_plugin_stored_and_nothing_else() {
		global $wpdb;
		$this->configure( 7 );
		update_option( 'crisisdesk_reply_user_id', 1 );
		update_option( 'crisisdesk_summary_last_good', array( 'ok' => true ), false );
		set_transient( 'crisisdesk_summary', array( 'ok' => true ), 120 );
		set_transient( 'crisisdesk_notice_1', array( 'type' => 'success' ), 300 );
		update_option( 'crisisdeskish_other_plugin', 'mine' );
		update_option( 'my_crisisdesk_notes', 'mine too' );
		set_transient( 'other_plugin_cache', 'theirs', 300 );

		$product = $this->make_product( 'Kettle' );
		$review  = $this->post_review( $product, array( 'approved' => 1 ) );
		$reply   = wp_insert_comment(
			array(
				'comment_post_ID'  => $product,
				'comment_parent'   => $review,
				'comment_content'  => 'Sorry!',
				'comment_approved' => 1,
				'comment_meta'     => array(
					'_crisisdesk_webhook_id' => 'msg_1',
					'other_meta'             => 'kept',
				),
			)
		);
		$this->end_request(); // The review's event is queued.
		CrisisDesk_Queue::enqueue( 'order.created', 'order', 5, null, 'unreadable' );
		CrisisDesk_Runner::schedule( 30 );
		wc_standin_set_action_scheduler( false );
		CrisisDesk_Runner::schedule( 30 ); // A WP-Cron run as well, as on a shop without Action Scheduler.
		wc_standin_set_action_scheduler( true );
		as_schedule_single_action( time() + 600, 'crisisdesk_deliver_events', array( 'older' ), 'crisisdesk-old' );
		$this->assertNotFalse( wp_next_scheduled( 'crisisdesk_deliver_events' ) );
		$this->assertNotFalse( wp_next_scheduled( 'crisisdesk_sweep_queue' ) );
		$this->assertNotFalse( as_next_scheduled_action( 'crisisdesk_deliver_events', array(), 'crisisdesk' ) );
		$this->assertNotEmpty( self::event_rows() );
		$woocommerce_options = self::options_like( 'woocommerce_' );
		$this->assertNotEmpty( $woocommerce_options );

		$this->login_as_admin();
		deactivate_plugins( self::PLUGIN ); // WordPress only deletes inactive plugins.
		$this->assertTrue( uninstall_plugin( self::PLUGIN ) );
		$this->assertSame( self::PLUGIN, WP_UNINSTALL_PLUGIN );

		$this->assertSame( array(), self::tables(), 'both tables dropped' );
		$this->assertSame( array(), self::options_like( 'crisisdesk_' ) );
		$this->assertSame( array(), self::options_like( '_transient_crisisdesk_' ) );
		$this->assertSame( array(), self::options_like( '_transient_timeout_crisisdesk_' ) );
		$this->assertFalse( get_transient( 'crisisdesk_summary' ) );
		$this->assertFalse( get_option( 'crisisdesk_secret' ) );
		$this->assertSame( '', get_comment_meta( $reply, '_crisisdesk_webhook_id', true ) );
		$this->assertSame( '0', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->commentmeta} WHERE meta_key = %s", '_crisisdesk_webhook_id' ) ) );
		$this->assertSame( 'kept', get_comment_meta( $reply, 'other_meta', true ) );
		$this->assertSame( 'Sorry!', get_comment( $reply )->comment_content, 'the shop\'s public replies stay' );
		$this->assertFalse( wp_next_scheduled( 'crisisdesk_deliver_events' ) );
		$this->assertFalse( wp_next_scheduled( 'crisisdesk_sweep_queue' ) );
		$this->assertFalse( as_next_scheduled_action( 'crisisdesk_deliver_events' ), 'whatever their arguments or group' );

		$this->assertSame( 'mine', get_option( 'crisisdeskish_other_plugin' ) );
		$this->assertSame( 'mine too', get_option( 'my_crisisdesk_notes' ) );
		$this->assertSame( 'theirs', get_transient( 'other_plugin_cache' ) );
		$this->assertSame( $woocommerce_options, self::options_like( 'woocommerce_' ), 'WooCommerce\'s options survive' );
		$this->assertContains( 'woocommerce/woocommerce.php', get_option( 'active_plugins' ) );

		// Installing again (what reactivation does) makes the tables anew.
		CrisisDesk_Schema::install();
		$this->assertCount( 2, self::tables() );
	}
}

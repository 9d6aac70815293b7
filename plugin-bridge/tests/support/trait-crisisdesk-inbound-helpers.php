<?php
/**
 * Helpers shared by the tests of the plugin's inbound and admin side (replies route, settings
 * page, dashboard widget, privacy, uninstall): configuring the plugin through its options, signing
 * and checking Standard Webhooks signatures INDEPENDENTLY of the plugin's own signer, driving
 * admin-post.php actions, and rendering admin screens.
 */

/**
 * wp_redirect() inside a test: the admin actions end with wp_safe_redirect() + exit, so the
 * redirect is turned into this exception before any header is sent.
 */
class CrisisDesk_Test_Redirect_Exception extends RuntimeException {

	/**
	 * Where the plugin redirected to.
	 *
	 * @var string
	 */
	public $location;

	/**
	 * HTTP status.
	 *
	 * @var int
	 */
	public $status;

	/**
	 * Constructor.
	 *
	 * @param string $location Location.
	 * @param int    $status   Status.
	 */
	public function __construct( $location, $status ) {
		$this->location = $location;
		$this->status   = (int) $status;
		parent::__construct( "redirect ($status) to $location" );
	}
}

/**
 * Helpers for CrisisDesk_TestCase subclasses.
 */
trait CrisisDesk_Inbound_Helpers {

	/**
	 * The shared secret the tests configure: whsec_ + base64 of 32 known bytes.
	 *
	 * @return string
	 */
	protected static function secret() {
		return 'whsec_' . base64_encode( str_repeat( "\x01\x23\x45\x67\x89\xab\xcd\xef", 4 ) );
	}

	/**
	 * Another valid secret (the service's key for a different shop).
	 *
	 * @return string
	 */
	protected static function other_secret() {
		return 'whsec_' . base64_encode( str_repeat( "\xfe\xdc\xba\x98\x76\x54\x32\x10", 4 ) );
	}

	/**
	 * Configures the plugin through its options: the recorder as the service.
	 *
	 * @param int         $shop_id Shop id.
	 * @param string|null $secret  Secret (default self::secret()).
	 * @param string|null $url     Service URL (default the recorder).
	 */
	protected function configure( $shop_id = 7, $secret = null, $url = null ) {
		update_option( 'crisisdesk_service_url', null === $url ? $this->recorder_url() : $url );
		update_option( 'crisisdesk_shop_id', (string) $shop_id );
		update_option( 'crisisdesk_secret', null === $secret ? self::secret() : $secret );
	}

	/**
	 * A Standard Webhooks signature, computed here (not with the plugin's signer).
	 *
	 * @param string $id        webhook-id.
	 * @param string $timestamp webhook-timestamp.
	 * @param string $body      Body.
	 * @param string $secret    whsec_ secret.
	 * @return string "v1,<base64>"
	 */
	protected static function signature( $id, $timestamp, $body, $secret = null ) {
		$secret = null === $secret ? self::secret() : $secret;
		$key    = base64_decode( substr( $secret, strlen( 'whsec_' ) ), true );
		return 'v1,' . base64_encode( hash_hmac( 'sha256', $id . '.' . $timestamp . '.' . $body, $key, true ) );
	}

	/**
	 * Signed headers for a body.
	 *
	 * @param string      $body      Body.
	 * @param string|null $id        webhook-id (default a new one).
	 * @param int|null    $timestamp Timestamp (default now).
	 * @param string|null $secret    Secret.
	 * @return array
	 */
	protected static function signed_headers( $body, $id = null, $timestamp = null, $secret = null ) {
		$id        = null === $id ? 'msg_' . bin2hex( random_bytes( 12 ) ) : $id;
		$timestamp = null === $timestamp ? time() : $timestamp;
		return array(
			'webhook-id'        => $id,
			'webhook-timestamp' => (string) $timestamp,
			'webhook-signature' => self::signature( $id, (string) $timestamp, $body, $secret ),
		);
	}

	/**
	 * Asserts that a request the recorder received carries a valid signature over its exact
	 * body, with a fresh timestamp, checked here with the configured secret.
	 *
	 * @param array       $request A recorded request.
	 * @param string|null $secret  Secret.
	 */
	protected function assert_signed( array $request, $secret = null ) {
		$header = $request['header'];
		foreach ( array( 'webhook-id', 'webhook-timestamp', 'webhook-signature' ) as $name ) {
			$this->assertArrayHasKey( $name, $header, "signed requests carry $name" );
			$this->assertNotSame( '', $header[ $name ] );
		}
		$this->assertMatchesRegularExpression( '/^\d+$/', $header['webhook-timestamp'] );
		$this->assertLessThanOrEqual( 60, abs( time() - (int) $header['webhook-timestamp'] ), 'signed now' );
		$expected = self::signature( $header['webhook-id'], $header['webhook-timestamp'], $request['body'], $secret );
		$this->assertContains( $expected, preg_split( '/\s+/', trim( $header['webhook-signature'] ) ), 'the signature matches the body, id and timestamp' );
	}

	/**
	 * A loopback port that nobody listens on (connection refused at once).
	 *
	 * @return int
	 */
	protected static function closed_port() {
		$socket = stream_socket_server( 'tcp://127.0.0.1:0' );
		$name   = stream_socket_get_name( $socket, false );
		fclose( $socket );
		return (int) substr( $name, strrpos( $name, ':' ) + 1 );
	}

	/**
	 * The only recorded request, asserted to be there alone.
	 *
	 * @return array
	 */
	protected function only_request() {
		$requests = $this->recorded_requests();
		$this->assertCount( 1, $requests, 'exactly one request reached the service' );
		return $requests[0];
	}

	/*
	 * Admin.
	 */

	/**
	 * Loads what an admin screen has (submit_button() etc.).
	 */
	protected static function load_admin_functions() {
		require_once ABSPATH . 'wp-admin/includes/template.php';
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
	}

	/**
	 * Runs an admin-post.php action as admin-post.php does for a logged-in user (POST, the fields
	 * in $_POST and $_REQUEST as PHP and wp_magic_quotes() leave them, then
	 * do_action( "admin_post_{$action}" )), and returns where the plugin redirected to.
	 *
	 * @param string      $action Action.
	 * @param array       $fields Form fields (besides action and _wpnonce).
	 * @param string|null $nonce  The nonce to send; null: a valid one for the current user; false: none.
	 * @return string The redirect location.
	 * @throws CrisisDesk_WP_Die_Exception When the plugin refuses.
	 */
	protected function admin_post( $action, array $fields = array(), $nonce = null ) {
		$form = array( 'action' => $action ) + $fields;
		if ( null === $nonce ) {
			$form['_wpnonce'] = wp_create_nonce( $action );
		} elseif ( false !== $nonce ) {
			$form['_wpnonce'] = $nonce;
		}
		$form['_wp_http_referer'] = '/wp-admin/admin.php?page=crisisdesk';
		$_POST                    = wp_slash( $form );
		$_REQUEST                 = $_POST;
		$_SERVER['REQUEST_METHOD'] = 'POST';
		$_SERVER['REQUEST_URI']    = '/wp-admin/admin-post.php';
		$redirect                  = static function ( $location, $status ) {
			throw new CrisisDesk_Test_Redirect_Exception( $location, $status );
		};
		add_filter( 'wp_redirect', $redirect, PHP_INT_MAX, 2 );
		try {
			do_action( 'admin_post_' . $action );
		} catch ( CrisisDesk_Test_Redirect_Exception $e ) {
			return $e->location;
		} finally {
			remove_filter( 'wp_redirect', $redirect, PHP_INT_MAX );
			$_POST                     = array();
			$_REQUEST                  = array();
			$_SERVER['REQUEST_METHOD'] = 'GET';
			$_SERVER['REQUEST_URI']    = '/';
		}
		$this->fail( "admin_post_$action ended without a redirect" );
	}

	/**
	 * The settings page as the current user sees it (what admin.php?page=crisisdesk prints).
	 *
	 * @return string HTML.
	 */
	protected function render_settings_page() {
		self::load_admin_functions();
		ob_start();
		try {
			CrisisDesk_Admin::render();
		} finally {
			$html = ob_get_clean();
		}
		return $html;
	}

	/**
	 * The notice on the settings page: [type, text].
	 *
	 * @param string $html The page.
	 * @return array{0:string,1:string}|null
	 */
	protected static function notice( $html ) {
		if ( ! preg_match( '#<div class="notice notice-(\w+)[^"]*crisisdesk-notice">\s*<p>(.*?)</p>#s', $html, $m ) ) {
			return null;
		}
		return array( $m[1], html_entity_decode( $m[2], ENT_QUOTES | ENT_HTML5, 'UTF-8' ) );
	}

	/**
	 * The notice of an action: its redirect goes back to the settings page, which shows it once.
	 *
	 * @param string $location Where the action redirected.
	 * @return array{0:string,1:string}
	 */
	protected function notice_after( $location ) {
		$this->assertSame( admin_url( 'admin.php?page=crisisdesk' ), $location, 'back to WooCommerce → CrisisDesk' );
		$notice = self::notice( $this->render_settings_page() );
		$this->assertNotNull( $notice, 'the page shows the result' );
		return $notice;
	}

	/**
	 * Rows of the plugin's events table.
	 *
	 * @return array<int,object>
	 */
	protected static function event_rows() {
		global $wpdb;
		return $wpdb->get_results( "SELECT * FROM {$wpdb->prefix}crisisdesk_events ORDER BY id" );
	}

	/**
	 * Rows of the plugin's replies table.
	 *
	 * @return array<int,object>
	 */
	protected static function reply_rows() {
		global $wpdb;
		return $wpdb->get_results( "SELECT * FROM {$wpdb->prefix}crisisdesk_replies ORDER BY created_gmt" );
	}
}

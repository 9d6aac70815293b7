<?php
/**
 * End to end over HTTP, on a second throw-away site whose wp-config.php defines
 * CRISISDESK_SERVICE_URL, CRISISDESK_SHOP_ID and CRISISDESK_SECRET (SPEC section 6, "Bridge
 * configuration").
 *
 * Why a second site: a PHP constant cannot be undefined, so defining the three constants in this
 * PHPUnit process would change every later test. @runInSeparateProcess would run tests/bootstrap.php
 * again in the child (a new site, a new recorder) and serialise WordPress's globals, for one
 * render. Instead this class builds a site with lib/site.php's `defines` option (what
 * `make-site.php --define` does), serves it with `php -S` through tests/bin/router.php, and uses it
 * as a shop owner would: log in, open WooCommerce → CrisisDesk, press buttons, look at the
 * dashboard, and let the service post a signed reply to /wp-json/crisisdesk/v1/replies. The
 * recorder of this process stands in for the service at the constant's URL. The site is made once
 * for the class and dropped afterwards.
 */

require_once __DIR__ . '/support/trait-crisisdesk-inbound-helpers.php';

/**
 * Settings fixed in wp-config.php, on a site served over HTTP.
 */
class FixedSettingsSiteTest extends CrisisDesk_TestCase {

	use CrisisDesk_Inbound_Helpers;

	const SHOP_ID = 9;

	/**
	 * The second site (CrisisDesk_Test_Site::create()'s answer).
	 *
	 * @var array|null
	 */
	private static $fixed_site;

	/**
	 * Its php -S process.
	 *
	 * @var resource|null
	 */
	private static $server;

	/**
	 * Cookie jar file of the browser session.
	 *
	 * @var string|null
	 */
	private static $cookies;

	/**
	 * Why the site could not be made (reported by every test).
	 *
	 * @var string|null
	 */
	private static $site_error;

	/**
	 * The option value stored in the database, which the constant must win over.
	 *
	 * @var string
	 */
	const STORED_URL = 'http://127.0.0.1:1';

	protected function setUp(): void {
		parent::setUp();
		if ( null === self::$fixed_site && null === self::$site_error ) {
			try {
				self::make_site( $this->recorder_url() );
			} catch ( Throwable $e ) {
				self::$site_error = $e->getMessage();
			}
		}
		if ( null !== self::$site_error ) {
			$this->fail( 'could not make the second site: ' . self::$site_error );
		}
	}

	public static function tearDownAfterClass(): void {
		if ( is_resource( self::$server ) ) {
			proc_terminate( self::$server, 15 );
			$deadline = microtime( true ) + 2;
			while ( microtime( true ) < $deadline && proc_get_status( self::$server )['running'] ) {
				usleep( 10000 );
			}
			proc_close( self::$server );
		}
		self::$server = null;
		if ( self::$fixed_site ) {
			if ( getenv( 'CRISISDESK_KEEP_SITE' ) ) {
				fwrite( STDERR, "\nKept the fixed-settings site " . self::$fixed_site['dir'] . "\n" );
			} else {
				$dir = self::$fixed_site['dir'];
				CrisisDesk_Test_Site::drop( $dir );
			}
		}
		if ( self::$cookies && is_file( self::$cookies ) ) {
			unlink( self::$cookies );
		}
		self::$fixed_site = null;
		self::$cookies    = null;
		self::$site_error = null;
		parent::tearDownAfterClass();
	}

	/**
	 * Makes and serves the site, then stores a different service URL as the option.
	 *
	 * @param string $service_url The recorder.
	 */
	private static function make_site( $service_url ) {
		$socket = stream_socket_server( 'tcp://127.0.0.1:0' );
		$name   = stream_socket_get_name( $socket, false );
		fclose( $socket );
		$port = (int) substr( $name, strrpos( $name, ':' ) + 1 );

		self::$fixed_site = CrisisDesk_Test_Site::create(
			array(
				'url'     => "http://127.0.0.1:$port",
				'db'      => 'crisisdesk_wp_test_' . getmypid() . '_fixed',
				'defines' => array(
					'CRISISDESK_SERVICE_URL' => $service_url,
					'CRISISDESK_SHOP_ID'     => self::SHOP_ID,
					'CRISISDESK_SECRET'      => self::secret(),
				),
			)
		);
		$site = self::$fixed_site;
		$env  = getenv();
		unset( $env['PHP_CLI_SERVER_WORKERS'] );
		self::$server = proc_open(
			array( PHP_BINARY, '-S', "127.0.0.1:$port", '-t', $site['dir'], $site['router'] ),
			array(
				0 => array( 'file', '/dev/null', 'r' ),
				1 => array( 'file', $site['dir'] . '/wp-content/server.log', 'a' ),
				2 => array( 'file', $site['dir'] . '/wp-content/server.log', 'a' ),
			),
			$pipes,
			$site['dir'],
			$env
		);
		$deadline = microtime( true ) + 10;
		do {
			usleep( 50000 );
			$conn = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.2 ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
		} while ( ! $conn && microtime( true ) < $deadline );
		if ( ! $conn ) {
			throw new RuntimeException( 'php -S did not start for ' . $site['dir'] );
		}
		fclose( $conn );
		self::$cookies = tempnam( sys_get_temp_dir(), 'crisisdesk-cookies-' );

		// A stored option the constant must win over.
		$db = self::site_db();
		$db->query( "INSERT INTO wp_options (option_name, option_value, autoload) VALUES ('crisisdesk_service_url', '" . self::STORED_URL . "', 'yes')" );
		$db->close();
	}

	/**
	 * A connection to the second site's database.
	 *
	 * @return mysqli
	 */
	private static function site_db() {
		$settings = CrisisDesk_Test_Site::db_settings_from_env();
		$host     = $settings['host'];
		$port     = null;
		if ( preg_match( '/^(.*):(\d+)$/', $host, $m ) ) {
			$host = $m[1];
			$port = (int) $m[2];
		}
		return new mysqli( $host, $settings['user'], $settings['password'], self::$fixed_site['db'], $port );
	}

	/**
	 * One HTTP request to the second site, with the browser's cookies (redirects not followed).
	 *
	 * @param string       $method  GET or POST.
	 * @param string       $path    Path and query.
	 * @param array|string $body    Form fields, or a raw body.
	 * @param array        $headers Headers (name => value).
	 * @param bool         $browser Send and keep the logged-in browser's cookies.
	 * @return array{status:int,headers:array,body:string}
	 */
	private static function http( $method, $path, $body = array(), array $headers = array(), $browser = true ) {
		$curl    = curl_init( self::$fixed_site['url'] . $path );
		$answer  = array( 'headers' => array() );
		$options = array(
			CURLOPT_CUSTOMREQUEST  => $method,
			CURLOPT_RETURNTRANSFER => true,
			CURLOPT_FOLLOWLOCATION => false,
			CURLOPT_TIMEOUT        => 30,
			CURLOPT_HTTPHEADER     => array_map(
				static function ( $name, $value ) {
					return "$name: $value";
				},
				array_keys( $headers ),
				$headers
			),
			CURLOPT_HEADERFUNCTION => static function ( $ch, $line ) use ( &$answer ) {
				if ( false !== strpos( $line, ':' ) ) {
					list( $name, $value ) = explode( ':', $line, 2 );
					$answer['headers'][ strtolower( trim( $name ) ) ] = trim( $value );
				}
				return strlen( $line );
			},
		);
		if ( $browser ) {
			$options[ CURLOPT_COOKIEFILE ] = self::$cookies;
			$options[ CURLOPT_COOKIEJAR ]  = self::$cookies;
		}
		if ( 'POST' === $method ) {
			$options[ CURLOPT_POSTFIELDS ] = is_array( $body ) ? http_build_query( $body ) : $body;
		}
		curl_setopt_array( $curl, $options );
		$answer['body']   = (string) curl_exec( $curl );
		$answer['status'] = (int) curl_getinfo( $curl, CURLINFO_RESPONSE_CODE );
		curl_close( $curl );
		return $answer;
	}

	/**
	 * An authenticated REST call with the admin's application password.
	 *
	 * @param string $method Method.
	 * @param string $route  Route under /wp-json.
	 * @param array  $data   JSON body.
	 * @return array{status:int,json:mixed}
	 */
	private static function rest_as_admin( $method, $route, array $data = array() ) {
		$answer = self::http(
			$method,
			'/wp-json' . $route,
			$data ? json_encode( $data ) : '',
			array(
				'Authorization' => 'Basic ' . base64_encode( 'admin:' . self::$fixed_site['admin_app_password'] ),
				'Content-Type'  => 'application/json',
			),
			false
		);
		return array(
			'status' => $answer['status'],
			'json'   => json_decode( $answer['body'], true ),
		);
	}

	/**
	 * Logs the browser in as the site's admin.
	 */
	private function log_in() {
		self::http( 'GET', '/wp-login.php' ); // Sets WordPress's test cookie.
		$answer = self::http(
			'POST',
			'/wp-login.php',
			array(
				'log'         => 'admin',
				'pwd'         => self::$fixed_site['admin_password'],
				'wp-submit'   => 'Log In',
				'redirect_to' => self::$fixed_site['url'] . '/wp-admin/',
				'testcookie'  => '1',
			)
		);
		$this->assertSame( 302, $answer['status'], 'logged in: ' . substr( strip_tags( $answer['body'] ), 0, 300 ) );
	}

	/**
	 * The settings page as the logged-in admin sees it.
	 *
	 * @return string
	 */
	private function settings_page() {
		$page = self::http( 'GET', '/wp-admin/admin.php?page=crisisdesk' );
		$this->assertSame( 200, $page['status'], substr( strip_tags( $page['body'] ), 0, 500 ) );
		return $page['body'];
	}

	/**
	 * The nonce of an action's form on the page.
	 *
	 * @param string $html   Page.
	 * @param string $action Action.
	 * @return string
	 */
	private function nonce_in( $html, $action ) {
		$this->assertMatchesRegularExpression( '#name="action" value="' . $action . '" />\s*<input type="hidden" id="_wpnonce" name="_wpnonce" value="([0-9a-f]+)"#', $html );
		preg_match( '#name="action" value="' . $action . '" />\s*<input type="hidden" id="_wpnonce" name="_wpnonce" value="([0-9a-f]+)"#', $html, $m );
		return $m[1];
	}

	/**
	 * PHP notices, warnings and errors the site logged that mention the plugin.
	 *
	 * @return string[]
	 */
	private static function plugin_errors_in_log() {
		$log = self::$fixed_site['debug_log'];
		if ( ! is_file( $log ) ) {
			return array();
		}
		return array_values(
			array_filter(
				explode( "\n", (string) file_get_contents( $log ) ),
				static function ( $line ) {
					return false !== stripos( $line, 'crisisdesk-bridge' );
				}
			)
		);
	}

	public function test_activation_on_the_fresh_site_made_both_tables() {
		$db     = self::site_db();
		$tables = array_column( $db->query( "SHOW TABLES LIKE 'wp\\_crisisdesk\\_%'" )->fetch_all(), 0 );
		$version = $db->query( "SELECT option_value FROM wp_options WHERE option_name = 'crisisdesk_db_version'" )->fetch_row();
		$db->close();
		sort( $tables );
		$this->assertSame( array( 'wp_crisisdesk_events', 'wp_crisisdesk_replies' ), $tables );
		$this->assertSame( array( '1' ), $version );
		$this->assertTrue( self::$fixed_site['plugin_active'] );
	}

	public function test_the_settings_page_shows_the_constants_as_fixed_and_never_the_secret() {
		$this->log_in();
		$html = $this->settings_page();

		foreach ( array( 'CRISISDESK_SERVICE_URL', 'CRISISDESK_SHOP_ID', 'CRISISDESK_SECRET' ) as $constant ) {
			$this->assertStringContainsString( "Fixed by $constant in wp-config.php.", $html );
		}
		$this->assertStringContainsString( '<code id="crisisdesk_service_url">' . esc_html( $this->recorder_url() ) . '</code>', $html, 'the constant, not the stored option' );
		$this->assertStringNotContainsString( self::STORED_URL, $html );
		$this->assertStringContainsString( '<code id="crisisdesk_shop_id">9</code>', $html );
		$this->assertStringContainsString( '<code id="crisisdesk_secret">whsec_…' . substr( self::secret(), -4 ) . '</code>', $html );
		$this->assertStringNotContainsString( self::secret(), $html );
		$this->assertStringNotContainsString( substr( self::secret(), 6, 16 ), $html );
		foreach ( array( 'crisisdesk_service_url', 'crisisdesk_shop_id', 'crisisdesk_secret' ) as $field ) {
			$this->assertStringNotContainsString( 'name="' . $field . '"', $html, "no input for $field" );
		}
		$this->assertStringContainsString( "name='crisisdesk_reply_user_id'", $html, 'the reply user stays a setting' );
		$this->assertSame( array(), self::plugin_errors_in_log() );
	}

	public function test_saving_keeps_fixed_fields_and_test_connection_uses_the_constants() {
		$this->log_in();
		$html = $this->settings_page();

		// A forged form trying to change the fixed fields.
		$saved = self::http(
			'POST',
			'/wp-admin/admin-post.php',
			array(
				'action'                   => 'crisisdesk_save_settings',
				'_wpnonce'                 => $this->nonce_in( $html, 'crisisdesk_save_settings' ),
				'crisisdesk_service_url'   => 'http://evil.example',
				'crisisdesk_shop_id'       => '66',
				'crisisdesk_secret'        => self::other_secret(),
				'crisisdesk_reply_user_id' => '1',
			)
		);
		$this->assertSame( 302, $saved['status'] );
		$this->assertSame( self::$fixed_site['url'] . '/wp-admin/admin.php?page=crisisdesk', $saved['headers']['location'] );
		$html = $this->settings_page();
		$this->assertStringContainsString( 'Settings saved.', $html );
		$db     = self::site_db();
		$stored = $db->query( "SELECT option_name, option_value FROM wp_options WHERE option_name IN ('crisisdesk_service_url', 'crisisdesk_shop_id', 'crisisdesk_secret', 'crisisdesk_reply_user_id') ORDER BY option_name" )->fetch_all();
		$db->close();
		$this->assertSame(
			array(
				array( 'crisisdesk_reply_user_id', '1' ),
				array( 'crisisdesk_service_url', self::STORED_URL ),
			),
			$stored,
			'fixed fields are not written'
		);

		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array(
						'status' => 'ok',
						'shop'   => array(
							'id'   => self::SHOP_ID,
							'name' => 'Fixed Shop',
						),
					),
				),
			)
		);
		$pinged = self::http(
			'POST',
			'/wp-admin/admin-post.php',
			array(
				'action'   => 'crisisdesk_test_connection',
				'_wpnonce' => $this->nonce_in( $html, 'crisisdesk_test_connection' ),
			)
		);
		$this->assertSame( 302, $pinged['status'] );
		$request = $this->only_request();
		$this->assertSame( '/api/v1/shops/9/ping', $request['path'] );
		$this->assert_signed( $request );
		$this->assertStringContainsString( 'Connected. CrisisDesk knows this site as &quot;Fixed Shop&quot;', $this->settings_page() );
		$this->assertSame( array(), self::plugin_errors_in_log() );
	}

	public function test_the_dashboard_shows_the_widget_with_the_services_figures() {
		$this->script_responses(
			array(
				array(
					'status' => 200,
					'body'   => array(
						'open_cases'          => 3,
						'overdue_cases'       => 1,
						'negative_reviews_7d' => 5,
						'alerts'              => array( '<script>alert(1)</script> spike' ),
						'panel_url'           => 'https://panel.example/cases?shop=9',
					),
				),
			)
		);
		$this->log_in();
		$dashboard = self::http( 'GET', '/wp-admin/' );
		$this->assertSame( 200, $dashboard['status'] );
		$this->assertStringContainsString( 'id="crisisdesk_summary"', $dashboard['body'] );
		$this->assertStringContainsString( '<li class="crisisdesk-open-cases"><strong>3</strong>', $dashboard['body'] );
		$this->assertStringContainsString( '&lt;script&gt;alert(1)&lt;/script&gt; spike', $dashboard['body'] );
		$this->assertStringContainsString( 'href="https://panel.example/cases?shop=9"', $dashboard['body'] );
		$summary = array_values(
			array_filter(
				$this->recorded_requests(),
				static function ( $r ) {
					return '/api/v1/shops/9/summary' === $r['path'];
				}
			)
		);
		$this->assertCount( 1, $summary );
		$this->assertSame( 'GET', $summary[0]['method'] );
		$this->assert_signed( $summary[0] );
	}

	public function test_the_privacy_policy_guide_carries_the_plugins_text() {
		$this->log_in();
		$guide = self::http( 'GET', '/wp-admin/options-privacy.php?tab=policyguide' );
		if ( 200 !== $guide['status'] || false === strpos( $guide['body'], 'CrisisDesk' ) ) {
			$guide = self::http( 'GET', '/wp-admin/privacy-policy-guide.php' );
		}
		$this->assertSame( 200, $guide['status'] );
		$this->assertStringContainsString( 'sends the order (with your name, email and addresses) and the review to CrisisDesk', $guide['body'] );
	}

	public function test_the_service_posts_a_signed_reply_over_http() {
		$product = self::rest_as_admin(
			'POST',
			'/wp/v2/product',
			array(
				'title'  => 'Kettle',
				'status' => 'publish',
			)
		);
		$this->assertSame( 201, $product['status'], wp_json_encode( $product['json'] ) );
		$product_id = $product['json']['id'];

		$posted = self::http(
			'POST',
			'/wp-comments-post.php',
			array(
				'comment_post_ID' => $product_id,
				'author'          => 'Grace Hopper',
				'email'           => 'grace@example.test',
				'comment'         => 'Arrived broken.',
				'rating'          => '1',
			),
			array(),
			false
		);
		$this->assertSame( 302, $posted['status'], substr( strip_tags( $posted['body'] ), 0, 300 ) );
		$held = self::rest_as_admin( 'GET', '/wp/v2/comments?post=' . $product_id . '&type=review&status=hold&context=edit' );
		$this->assertCount( 1, $held['json'], wp_json_encode( $held['json'] ) );
		$review_id = $held['json'][0]['id'];
		$this->assertSame( 200, self::rest_as_admin( 'POST', '/wp/v2/comments/' . $review_id, array( 'status' => 'approved' ) )['status'] );

		// What the service's bridge client sends: compact UTF-8 JSON, signed, with a charset.
		$body    = json_encode(
			array(
				'review_id' => $review_id,
				'content'   => 'Przepraszamy, Grace — a new kettle is on its way.',
			),
			JSON_UNESCAPED_UNICODE
		);
		$headers = self::signed_headers( $body, 'msg_http_1' ) + array(
			'Content-Type' => 'application/json; charset=utf-8',
			'Accept'       => 'application/json',
		);
		$first   = self::http( 'POST', '/wp-json/crisisdesk/v1/replies', $body, $headers, false );
		$this->assertSame( 201, $first['status'], $first['body'] );
		$comment_id = json_decode( $first['body'], true )['comment_id'];
		$this->assertIsInt( $comment_id );

		$again = self::http( 'POST', '/wp-json/crisisdesk/v1/replies', $body, self::signed_headers( $body, 'msg_http_1' ) + array( 'Content-Type' => 'application/json; charset=utf-8' ), false );
		$this->assertSame( 200, $again['status'], $again['body'] );
		$this->assertSame( $comment_id, json_decode( $again['body'], true )['comment_id'] );

		$forged = self::http( 'POST', '/wp-json/crisisdesk/v1/replies', $body, self::signed_headers( $body, 'msg_http_2', null, self::other_secret() ) + array( 'Content-Type' => 'application/json' ), false );
		$this->assertSame( 401, $forged['status'] );
		$this->assertSame( 'crisisdesk_signature_invalid', json_decode( $forged['body'], true )['code'] );

		$reply = self::rest_as_admin( 'GET', '/wp/v2/comments/' . $comment_id . '?context=edit' );
		$this->assertSame( 200, $reply['status'] );
		$this->assertSame( $review_id, $reply['json']['parent'] );
		$this->assertSame( $product_id, $reply['json']['post'] );
		$this->assertSame( 'approved', $reply['json']['status'] );
		$this->assertSame( 1, $reply['json']['author'] );
		$this->assertSame( 'Przepraszamy, Grace — a new kettle is on its way.', $reply['json']['content']['raw'] );
		$replies = self::rest_as_admin( 'GET', '/wp/v2/comments?post=' . $product_id . '&parent=' . $review_id . '&type=comment&context=edit' );
		$this->assertCount( 1, $replies['json'], 'one reply, whatever the repeats' );
		$this->assertSame( array(), self::plugin_errors_in_log() );
	}
}

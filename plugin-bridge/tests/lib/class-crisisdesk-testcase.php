<?php
/**
 * Base class of the bridge's PHPUnit tests.
 *
 * Every test starts from the site as it was right after the plugin's activation (see
 * CrisisDesk_Test_State::reset()): the plugin's tables empty, no comments, no posts/users/terms
 * made by earlier tests, every option (cron, transients, crisisdesk_*, WooCommerce's) as it was,
 * $_GET/$_POST/$_REQUEST/$_COOKIE/$_SERVER reset, no current user, no recorded requests or mails.
 * Each test is one request: tearDown() runs the shutdown hooks (end_request()), then removes the
 * hooks added during the test (as WP_UnitTestCase does).
 *
 * PHP deprecation notices raised inside WordPress core itself (WordPress 6.1 on PHP 8.2) are not
 * failures; every other notice, warning or deprecation (the plugin's, the stand-in's, and
 * WordPress's _doing_it_wrong()/_deprecated_*() notices) fails the test, as PHPUnit does.
 */

use PHPUnit\Framework\TestCase;

/**
 * Base test case.
 */
abstract class CrisisDesk_TestCase extends TestCase {

	/**
	 * Hooks saved in setUp().
	 *
	 * @var array
	 */
	private $saved_hooks = array();

	/**
	 * Whether this test pushed an error handler.
	 *
	 * @var bool
	 */
	private $error_handler_pushed = false;

	/**
	 * Counter for unique reviewer addresses.
	 *
	 * @var int
	 */
	private static $review_counter = 0;

	/**
	 * Resets the site, saves the hooks, filters WordPress core's own PHP deprecations.
	 */
	protected function setUp(): void {
		parent::setUp();
		$this->backup_hooks();
		CrisisDesk_Test_State::reset();

		$previous = null;
		$previous = set_error_handler(
			static function ( $errno, $errstr, $errfile = '', $errline = 0 ) use ( &$previous ) {
				if ( E_DEPRECATED === $errno && crisisdesk_tests_is_core_file( $errfile ) ) {
					$key = "$errfile:$errline $errstr";
					CrisisDesk_Test_State::$core_deprecations[ $key ] = ( CrisisDesk_Test_State::$core_deprecations[ $key ] ?? 0 ) + 1;
					return true;
				}
				return $previous ? $previous( $errno, $errstr, $errfile, $errline ) : false;
			}
		);
		$this->error_handler_pushed = true;
	}

	/**
	 * Ends the test's "request" (end_request(): the shutdown hooks run, as at the end of every
	 * real request), then removes the hooks the test added.
	 */
	protected function tearDown(): void {
		try {
			$this->end_request();
		} finally {
			if ( $this->error_handler_pushed ) {
				restore_error_handler();
				$this->error_handler_pushed = false;
			}
			$this->restore_hooks();
			parent::tearDown();
		}
	}

	/**
	 * Runs what WordPress runs when a request ends: do_action( 'shutdown' ), less WordPress's
	 * wp_ob_end_flush_all() (it would close PHPUnit's output buffers). Work a plugin defers to
	 * the end of the request happens here. tearDown() calls it too; calling it again is what a
	 * second request's end would do.
	 */
	protected function end_request() {
		$priority = has_action( 'shutdown', 'wp_ob_end_flush_all' );
		if ( false !== $priority ) {
			remove_action( 'shutdown', 'wp_ob_end_flush_all', $priority );
		}
		try {
			do_action( 'shutdown' );
		} finally {
			if ( false !== $priority ) {
				add_action( 'shutdown', 'wp_ob_end_flush_all', $priority );
			}
		}
	}

	/**
	 * As WP_UnitTestCase_Base::_backup_hooks().
	 */
	private function backup_hooks() {
		$this->saved_hooks = array();
		foreach ( array( 'wp_filter', 'wp_actions', 'wp_filters', 'wp_current_filter' ) as $global ) {
			if ( ! isset( $GLOBALS[ $global ] ) ) {
				continue;
			}
			if ( 'wp_filter' === $global ) {
				$this->saved_hooks[ $global ] = array();
				foreach ( $GLOBALS['wp_filter'] as $hook_name => $hook_object ) {
					$this->saved_hooks[ $global ][ $hook_name ] = clone $hook_object;
				}
			} else {
				$this->saved_hooks[ $global ] = $GLOBALS[ $global ];
			}
		}
	}

	/**
	 * As WP_UnitTestCase_Base::_restore_hooks().
	 */
	private function restore_hooks() {
		foreach ( $this->saved_hooks as $global => $value ) {
			$GLOBALS[ $global ] = $value; // phpcs:ignore WordPress.WP.GlobalVariablesOverride
		}
	}

	/*
	 * The site.
	 */

	/**
	 * The test site: dir, db, url, admin_user, admin_password, plugin_dir, ...
	 *
	 * @return array
	 */
	protected function site() {
		return $GLOBALS['crisisdesk_test_site'];
	}

	/**
	 * A recorded WooCommerce payload from tests/fixtures/woocommerce/, decoded.
	 *
	 * @param string $name File name, e.g. review.json.
	 * @return array
	 */
	protected function fixture( $name ) {
		return wc_standin_fixture( $name );
	}

	/*
	 * Users.
	 */

	/**
	 * Makes the administrator (user 1, who has WooCommerce's capabilities) the current user.
	 *
	 * @return WP_User
	 */
	protected function login_as_admin() {
		return wp_set_current_user( 1 );
	}

	/**
	 * Creates a user.
	 *
	 * @param string $role customer, shop_manager, administrator, subscriber, ...
	 * @param array  $args wp_insert_user() fields (user_login, user_email, display_name, ...).
	 * @return int User ID.
	 */
	protected function make_user( $role = 'customer', array $args = array() ) {
		static $n = 0;
		++$n;
		$login = $args['user_login'] ?? "{$role}{$n}";
		$id    = wp_insert_user(
			array_merge(
				array(
					'user_login' => $login,
					'user_pass'  => wp_generate_password( 16 ),
					'user_email' => "$login@example.test",
					'role'       => $role,
				),
				$args
			)
		);
		if ( is_wp_error( $id ) ) {
			throw new CrisisDesk_WP_Error_Exception( 'make_user()', $id );
		}
		return (int) $id;
	}

	/**
	 * Makes a user the current one (a user ID, or a role to create a new user with).
	 *
	 * @param int|string $user_or_role User ID or role.
	 * @return WP_User
	 */
	protected function login_as( $user_or_role ) {
		$id = is_int( $user_or_role ) ? $user_or_role : $this->make_user( $user_or_role );
		return wp_set_current_user( $id );
	}

	/*
	 * Shop.
	 */

	/**
	 * Creates a published product (a real "product" post, as WooCommerce makes them).
	 *
	 * @param string $name Name.
	 * @param array  $args price, sku, status, reviews_allowed (see wc_standin_create_product()).
	 * @return int Product ID.
	 */
	protected function make_product( $name, array $args = array() ) {
		return wc_standin_create_product( $name, $args )->get_id();
	}

	/**
	 * Creates an order as WooCommerce does (see wc_standin_create_order() for $args).
	 *
	 * @param array $args status, set_paid, billing, line_items, customer_id, meta_data, ...
	 * @return WC_Order
	 */
	protected function create_order( array $args = array() ) {
		return wc_standin_create_order( $args );
	}

	/**
	 * Posts a review through WordPress as the storefront's review form does: $_POST as
	 * wp-comments-post.php receives it (comment_post_ID, author, email, comment, rating), then
	 * wp_handle_comment_submission() → wp_new_comment(), which fires
	 * comment_post($comment_id, $approved, $commentdata); WooCommerce (the stand-in) makes it a
	 * "review", adds the "rating" meta at priority 1 and the "verified" meta at priority 10.
	 *
	 * WordPress decides the approval as configured: by default a first comment from an address
	 * is held ("Comment author must have a previously approved comment"), so reviews start as
	 * "hold" unless 'approved' is given. WordPress's flood check (15 s between comments from one
	 * IP or email) applies; every call gets its own IP and, by default, its own email address.
	 *
	 * @param int   $product_id Product.
	 * @param array $args {
	 *     @type string      $author     Reviewer name (default "Grace Hopper").
	 *     @type string      $email      Reviewer email (default a new reviewerN@example.test).
	 *     @type string      $content    Review text (default "Works great.").
	 *     @type int|null    $rating     1..5, default 5; null sends no rating field.
	 *     @type int         $user_id    Post as this logged-in user (name and email are the user's).
	 *     @type int|string|null $approved null: WordPress decides; 1, 0, 'spam' or 'trash' force it
	 *                                   (through pre_comment_approved, like a moderation plugin).
	 *     @type string      $ip         Reviewer IP (default a new 192.0.2.x).
	 *     @type int         $parent     Parent comment (a reply).
	 * }
	 * @return int Comment ID.
	 * @throws CrisisDesk_WP_Error_Exception When WordPress refuses it (duplicate, flood, closed...).
	 * @throws CrisisDesk_WP_Die_Exception   When WordPress or WooCommerce would stop the request.
	 */
	protected function post_review( $product_id, array $args = array() ) {
		++self::$review_counter;
		$n    = self::$review_counter;
		$args = array_merge(
			array(
				'author'   => 'Grace Hopper',
				'email'    => "reviewer{$n}@example.test",
				'content'  => 'Works great.',
				'rating'   => 5,
				'user_id'  => 0,
				'approved' => null,
				'ip'       => '192.0.2.' . ( ( $n % 250 ) + 1 ),
				'parent'   => 0,
			),
			$args
		);

		$previous_user = get_current_user_id();
		$form          = array(
			'comment_post_ID' => (string) $product_id,
			'author'          => $args['author'],
			'email'           => $args['email'],
			'url'             => '',
			'comment'         => $args['content'],
			'comment_parent'  => (string) $args['parent'],
			'submit'          => 'Submit',
		);
		if ( null !== $args['rating'] ) {
			$form['rating'] = (string) $args['rating'];
		}
		$approve = null;
		if ( null !== $args['approved'] ) {
			$approve = static function () use ( $args ) {
				return $args['approved'];
			};
			add_filter( 'pre_comment_approved', $approve, PHP_INT_MAX );
		}

		wp_set_current_user( (int) $args['user_id'] );
		// What PHP and WordPress (wp_magic_quotes()) hand wp-comments-post.php.
		$_POST                      = wp_slash( $form );
		$_REQUEST                   = $_POST;
		$_SERVER['REQUEST_METHOD']  = 'POST';
		$_SERVER['REQUEST_URI']     = '/wp-comments-post.php';
		$_SERVER['REMOTE_ADDR']     = $args['ip'];
		$_SERVER['HTTP_USER_AGENT'] = 'Mozilla/5.0 (CrisisDesk tests)';
		try {
			$comment = wp_handle_comment_submission( wp_unslash( $_POST ) );
		} finally {
			if ( $approve ) {
				remove_filter( 'pre_comment_approved', $approve, PHP_INT_MAX );
			}
			$_POST                     = array();
			$_REQUEST                  = array();
			$_SERVER['REQUEST_METHOD'] = 'GET';
			$_SERVER['REQUEST_URI']    = '/';
			$_SERVER['REMOTE_ADDR']    = '127.0.0.1';
			unset( $_SERVER['HTTP_USER_AGENT'] );
			wp_set_current_user( $previous_user );
		}
		if ( is_wp_error( $comment ) ) {
			throw new CrisisDesk_WP_Error_Exception( 'post_review()', $comment );
		}
		return (int) $comment->comment_ID;
	}

	/*
	 * REST (in-process, as rest_do_request()).
	 */

	/**
	 * Dispatches a REST request in-process, as the current user.
	 *
	 * @param string       $method  GET, POST, PUT, DELETE.
	 * @param string       $route   Route, e.g. /wc/v3/orders/12 (a query string is allowed).
	 * @param array|string $params  Query parameters for GET/DELETE, a JSON body otherwise; a string
	 *                              is sent as the raw body (for signed requests).
	 * @param array        $headers Headers.
	 * @return WP_REST_Response
	 */
	protected function rest( $method, $route, $params = array(), array $headers = array() ) {
		$query = array();
		if ( false !== strpos( $route, '?' ) ) {
			list( $route, $qs ) = explode( '?', $route, 2 );
			parse_str( $qs, $query );
		}
		$request = new WP_REST_Request( $method, $route );
		$request->set_query_params( $query );
		foreach ( $headers as $name => $value ) {
			$request->set_header( $name, $value );
		}
		if ( is_string( $params ) ) {
			$request->set_body( $params );
			if ( ! $request->get_header( 'content-type' ) ) {
				$request->set_header( 'content-type', 'application/json' );
			}
		} elseif ( in_array( strtoupper( $method ), array( 'GET', 'DELETE', 'HEAD' ), true ) ) {
			$request->set_query_params( array_merge( $query, $params ) );
		} elseif ( $params ) {
			$request->set_header( 'content-type', 'application/json' );
			$request->set_body( wp_json_encode( $params ) );
		}
		return rest_do_request( $request );
	}

	/**
	 * The response's data as the HTTP client would decode it (links included as _links).
	 *
	 * @param WP_REST_Response $response Response.
	 * @return mixed
	 */
	protected function rest_data( WP_REST_Response $response ) {
		return json_decode( wp_json_encode( rest_get_server()->response_to_data( $response, false ) ), true );
	}

	/*
	 * The recorder (the CrisisDesk service stand-in).
	 */

	/**
	 * The recorder.
	 *
	 * @return CrisisDesk_Test_Recorder
	 */
	protected function recorder() {
		return $GLOBALS['crisisdesk_test_recorder'];
	}

	/**
	 * The recorder's URL (http://127.0.0.1:PORT), with a path appended.
	 *
	 * @param string $path Path.
	 * @return string
	 */
	protected function recorder_url( $path = '' ) {
		return $this->recorder()->url( $path );
	}

	/**
	 * Queues the recorder's next answers: [['status' => 503, 'body' => [...], 'headers' => [...],
	 * 'delay' => 2.0, 'repeat' => false], ...]; then 202 {"status":"accepted"}.
	 *
	 * @param array $responses Answers.
	 */
	protected function script_responses( array $responses ) {
		$this->recorder()->script_responses( $responses );
	}

	/**
	 * What the recorder received in this test: method, path, query, headers, header (lower-case
	 * names), body (raw), json (decoded body or null), time.
	 *
	 * @return array[]
	 */
	protected function recorded_requests() {
		return $this->recorder()->recorded_requests();
	}

	/*
	 * Cron and mail.
	 */

	/**
	 * Runs due WP-Cron events as wp-cron.php does (recurring ones rescheduled first), with
	 * wp_doing_cron() true.
	 *
	 * @param string|null $only_hook Only this hook.
	 * @param int|null    $now       Run what is due at this time (default now), e.g. time() + 3600.
	 * @return string[] The hooks run, in order.
	 */
	protected function run_cron( $only_hook = null, $now = null ) {
		$now   = null === $now ? time() : (int) $now;
		$crons = _get_cron_array();
		$ran   = array();
		add_filter( 'wp_doing_cron', '__return_true' );
		try {
			foreach ( $crons as $timestamp => $cronhooks ) {
				if ( $timestamp > $now ) {
					break;
				}
				foreach ( $cronhooks as $hook => $keys ) {
					if ( null !== $only_hook && $hook !== $only_hook ) {
						continue;
					}
					foreach ( $keys as $event ) {
						if ( $event['schedule'] ) {
							wp_reschedule_event( $timestamp, $event['schedule'], $hook, $event['args'] );
						}
						wp_unschedule_event( $timestamp, $hook, $event['args'] );
						do_action_ref_array( $hook, $event['args'] );
						$ran[] = $hook;
					}
				}
			}
		} finally {
			remove_filter( 'wp_doing_cron', '__return_true' );
		}
		return $ran;
	}

	/**
	 * Scheduled WP-Cron events, soonest first: [['hook', 'timestamp', 'args', 'schedule'], ...].
	 *
	 * @param string|null $hook Only this hook.
	 * @return array[]
	 */
	protected function scheduled_events( $hook = null ) {
		$events = array();
		foreach ( (array) _get_cron_array() as $timestamp => $cronhooks ) {
			foreach ( $cronhooks as $name => $keys ) {
				if ( null !== $hook && $name !== $hook ) {
					continue;
				}
				foreach ( $keys as $event ) {
					$events[] = array(
						'hook'      => $name,
						'timestamp' => (int) $timestamp,
						'args'      => $event['args'],
						'schedule'  => $event['schedule'],
					);
				}
			}
		}
		return $events;
	}

	/**
	 * Mails WordPress would have sent in this test (wp_mail() arguments: to, subject, message,
	 * headers, attachments).
	 *
	 * @return array[]
	 */
	protected function sent_mails() {
		return $GLOBALS['crisisdesk_test_mails'] ?? array();
	}

	/**
	 * Asserts that $fn ends in wp_die() and returns the exception.
	 *
	 * @param callable $fn       Code.
	 * @param string   $contains Text the message must contain.
	 * @return CrisisDesk_WP_Die_Exception
	 */
	protected function assert_wp_die( callable $fn, $contains = '' ) {
		try {
			$fn();
		} catch ( CrisisDesk_WP_Die_Exception $e ) {
			if ( '' !== $contains ) {
				$this->assertStringContainsString( $contains, $e->getMessage() );
			} else {
				$this->addToAssertionCount( 1 );
			}
			return $e;
		}
		$this->fail( 'wp_die() was not called' );
	}
}

<?php
/**
 * Test-process helpers used by tests/bootstrap.php and CrisisDesk_TestCase (the equivalents of
 * WordPress's tests/phpunit/includes/functions.php), and the per-test state reset.
 */

/** The address of the site the PHPUnit process loads (never served; REST goes through rest_do_request()). */
const CRISISDESK_TEST_SITE_URL = 'http://shop.example.test';

/**
 * Stops the recorder and removes the site (unless CRISISDESK_KEEP_SITE is set).
 *
 * @param array                    $crisisdesk_site     The site.
 * @param CrisisDesk_Test_Recorder $crisisdesk_recorder The recorder.
 */
function crisisdesk_tests_remove_site( $crisisdesk_site, $crisisdesk_recorder ) {
	if ( getenv( 'CRISISDESK_TESTS_VERBOSE' ) && CrisisDesk_Test_State::$core_deprecations ) {
		fwrite( STDERR, "\nPHP deprecations inside WordPress core during the tests (not failures):\n" );
		foreach ( CrisisDesk_Test_State::$core_deprecations as $where => $count ) {
			fwrite( STDERR, "  {$count}x $where\n" );
		}
	}
	$crisisdesk_recorder->stop();
	if ( getenv( 'CRISISDESK_KEEP_SITE' ) ) {
		fwrite( STDERR, "\nKept the test site {$crisisdesk_site['dir']} (database {$crisisdesk_site['db']}); remove it with: php " . dirname( __DIR__ ) . "/bin/make-site.php --drop {$crisisdesk_site['dir']}\n" );
		return;
	}
	try {
		CrisisDesk_Test_Site::drop( $crisisdesk_site['dir'] );
	} catch ( Throwable $e ) {
		fwrite( STDERR, "\nCould not remove the test site: " . $e->getMessage() . "\n" );
	}
}

/**
 * wp_die() inside a test: thrown instead of printing a page and exiting.
 */
class CrisisDesk_WP_Die_Exception extends RuntimeException {

	/**
	 * The title given to wp_die().
	 *
	 * @var string
	 */
	public $title;

	/**
	 * The arguments given to wp_die().
	 *
	 * @var array|string|int
	 */
	public $args;

	/**
	 * The message as given (a string or a WP_Error).
	 *
	 * @var mixed
	 */
	public $wp_die_message;

	/**
	 * Constructor.
	 *
	 * @param mixed  $message wp_die() message.
	 * @param string $title   Title.
	 * @param mixed  $args    Arguments.
	 */
	public function __construct( $message, $title = '', $args = array() ) {
		$this->wp_die_message = $message;
		$this->title          = $title;
		$this->args           = $args;
		if ( $message instanceof WP_Error ) {
			$text = implode( ' ', $message->get_error_messages() );
		} else {
			$text = is_scalar( $message ) ? (string) $message : wp_json_encode( $message );
		}
		$code = is_array( $args ) && isset( $args['response'] ) ? (int) $args['response'] : 0;
		parent::__construct( 'wp_die(): ' . $text, $code );
	}
}

/**
 * A helper's WordPress error, thrown (e.g. post_review() refused by WordPress).
 */
class CrisisDesk_WP_Error_Exception extends RuntimeException {

	/**
	 * The error.
	 *
	 * @var WP_Error
	 */
	public $error;

	/**
	 * Constructor.
	 *
	 * @param string   $what  What failed.
	 * @param WP_Error $error The error.
	 */
	public function __construct( $what, WP_Error $error ) {
		$this->error = $error;
		parent::__construct( $what . ': [' . $error->get_error_code() . '] ' . $error->get_error_message() );
	}
}

/**
 * Adds a hook before WordPress is loaded (tests_add_filter()), or normally afterwards.
 *
 * @param string   $hook          Hook.
 * @param callable $callback      Callback.
 * @param int      $priority      Priority.
 * @param int      $accepted_args Arguments.
 */
function crisisdesk_tests_add_filter( $hook, $callback, $priority = 10, $accepted_args = 1 ) {
	if ( function_exists( 'add_filter' ) ) {
		add_filter( $hook, $callback, $priority, $accepted_args );
		return;
	}
	$id = is_string( $callback ) ? $callback : spl_object_hash( (object) $callback );
	$GLOBALS['wp_filter'][ $hook ][ $priority ][ $id ] = array(
		'function'      => $callback,
		'accepted_args' => $accepted_args,
	);
}

/**
 * $_SERVER as for a plain front-end GET request to the test site (tests_reset__SERVER()).
 */
function crisisdesk_tests_reset_server() {
	$host                       = (string) parse_url( CRISISDESK_TEST_SITE_URL, PHP_URL_HOST );
	$_SERVER['HTTP_HOST']       = $host;
	$_SERVER['SERVER_NAME']     = $host;
	$_SERVER['SERVER_PORT']     = '80';
	$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
	$_SERVER['REQUEST_METHOD']  = 'GET';
	$_SERVER['REQUEST_URI']     = '/';
	$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
	$_SERVER['PHP_SELF']        = '/index.php';
	$_SERVER['SCRIPT_NAME']     = '/index.php';
	unset( $_SERVER['HTTP_REFERER'], $_SERVER['HTTPS'], $_SERVER['HTTP_USER_AGENT'], $_SERVER['PHP_AUTH_USER'], $_SERVER['PHP_AUTH_PW'], $_SERVER['HTTP_AUTHORIZATION'] );
}

/**
 * The wp_die handler while testing.
 *
 * @return callable
 */
function crisisdesk_tests_wp_die_handler_filter() {
	return 'crisisdesk_tests_wp_die_handler';
}

/**
 * Throws instead of dying.
 *
 * @param mixed  $message Message.
 * @param string $title   Title.
 * @param mixed  $args    Arguments.
 * @throws CrisisDesk_WP_Die_Exception Always.
 */
function crisisdesk_tests_wp_die_handler( $message, $title = '', $args = array() ) {
	throw new CrisisDesk_WP_Die_Exception( $message, $title, $args );
}

/**
 * pre_wp_mail: keeps the mail instead of sending it.
 *
 * @param null|bool $return Short-circuit value.
 * @param array     $atts   to, subject, message, headers, attachments.
 * @return bool
 */
function crisisdesk_tests_capture_mail( $return, $atts ) {
	$GLOBALS['crisisdesk_test_mails'][] = $atts;
	return true;
}

/**
 * Loads the classes of WordPress's bundled Requests library with PHP's deprecation notices muted
 * (WordPress 6.1 on PHP 8.1+ raises them when these files are compiled).
 */
function crisisdesk_tests_preload_core_classes() {
	$previous = error_reporting( error_reporting() & ~E_DEPRECATED );
	try {
		$base = ABSPATH . WPINC . '/Requests/';
		if ( is_dir( $base ) ) {
			$files = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $base, FilesystemIterator::SKIP_DOTS ) );
			foreach ( $files as $file ) {
				if ( '.php' === substr( $file->getFilename(), -4 ) ) {
					$class = 'Requests_' . str_replace( '/', '_', substr( $file->getPathname(), strlen( $base ), -4 ) );
					class_exists( $class ) || interface_exists( $class );
				}
			}
		}
	} finally {
		error_reporting( $previous );
	}
}

/**
 * Whether a file is part of WordPress core (Debian's /usr/share/wordpress, or the site's links to it).
 *
 * @param string $file File.
 * @return bool
 */
function crisisdesk_tests_is_core_file( $file ) {
	$real = realpath( $file );
	$real = false === $real ? $file : $real;
	return 0 === strpos( $real, CrisisDesk_Test_Site::WP_CORE_DIR . '/' );
}

/**
 * The state every test starts from: the site right after the plugin's activation.
 */
class CrisisDesk_Test_State {

	/**
	 * Captured once, after WordPress loaded.
	 *
	 * @var array
	 */
	private static $baseline;

	/**
	 * PHP deprecation notices raised inside WordPress core during tests (not failures).
	 *
	 * @var array<string,int>
	 */
	public static $core_deprecations = array();

	/**
	 * Records the baseline: highest IDs, every option, term counts, the tables that exist.
	 * Removes the sample comment wp_install() made so that tests start without comments.
	 */
	public static function capture_baseline() {
		global $wpdb;
		$wpdb->query( "DELETE FROM {$wpdb->commentmeta}" );
		$wpdb->query( "DELETE FROM {$wpdb->comments}" );
		$wpdb->query( "UPDATE {$wpdb->posts} SET comment_count = 0" );
		wp_cache_flush();

		self::$baseline = array(
			'max_post_id'    => (int) $wpdb->get_var( "SELECT COALESCE(MAX(ID), 0) FROM {$wpdb->posts}" ),
			'max_user_id'    => (int) $wpdb->get_var( "SELECT COALESCE(MAX(ID), 0) FROM {$wpdb->users}" ),
			'max_term_id'    => (int) $wpdb->get_var( "SELECT COALESCE(MAX(term_id), 0) FROM {$wpdb->terms}" ),
			'max_tt_id'      => (int) $wpdb->get_var( "SELECT COALESCE(MAX(term_taxonomy_id), 0) FROM {$wpdb->term_taxonomy}" ),
			'options'        => $wpdb->get_results( "SELECT option_name, option_value, autoload FROM {$wpdb->options}", OBJECT_K ),
			'term_counts'    => $wpdb->get_results( "SELECT term_taxonomy_id, count FROM {$wpdb->term_taxonomy}", OBJECT_K ),
			'plugin_tables'  => $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'crisisdesk_' ) . '%' ) ),
			'active_plugins' => (array) get_option( 'active_plugins', array() ),
			'server'         => $_SERVER,
		);
	}

	/**
	 * The baseline.
	 *
	 * @return array
	 */
	public static function baseline() {
		return self::$baseline;
	}

	/**
	 * Puts the site back to the baseline: the plugin's tables emptied (recreated through the
	 * plugin's activation if a test dropped them), comments removed, posts, users and terms made
	 * after the baseline removed, every option (cron, transients, crisisdesk_*, the stand-in's
	 * data) as it was, caches flushed, request globals and the current user reset.
	 */
	public static function reset() {
		global $wpdb;
		$b = self::$baseline;

		// The plugin's tables (a test may have dropped them, e.g. through uninstall.php).
		$existing = $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'crisisdesk_' ) . '%' ) );
		self::restore_options( $b['options'] );
		wp_cache_flush();
		if ( array_diff( $b['plugin_tables'], $existing ) ) {
			foreach ( $b['active_plugins'] as $plugin ) {
				if ( 0 === strpos( $plugin, 'crisisdesk-bridge/' ) ) {
					do_action( 'activate_' . $plugin, false );
				}
			}
			$existing = $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'crisisdesk_' ) . '%' ) );
			self::restore_options( $b['options'] );
		}
		foreach ( $existing as $table ) {
			$wpdb->query( "TRUNCATE TABLE `$table`" ); // phpcs:ignore WordPress.DB.PreparedSQL
		}

		$wpdb->query( "DELETE FROM {$wpdb->commentmeta}" );
		$wpdb->query( "DELETE FROM {$wpdb->comments}" );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->postmeta} WHERE post_id > %d", $b['max_post_id'] ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->term_relationships} WHERE object_id > %d", $b['max_post_id'] ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->posts} WHERE ID > %d", $b['max_post_id'] ) );
		$wpdb->query( "UPDATE {$wpdb->posts} SET comment_count = 0" );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->usermeta} WHERE user_id > %d", $b['max_user_id'] ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->users} WHERE ID > %d", $b['max_user_id'] ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->term_relationships} WHERE term_taxonomy_id > %d", $b['max_tt_id'] ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->term_taxonomy} WHERE term_taxonomy_id > %d", $b['max_tt_id'] ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->termmeta} WHERE term_id > %d", $b['max_term_id'] ) );
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->terms} WHERE term_id > %d", $b['max_term_id'] ) );
		foreach ( $b['term_counts'] as $tt_id => $row ) {
			$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->term_taxonomy} SET count = %d WHERE term_taxonomy_id = %d", $row->count, $tt_id ) );
		}

		wp_cache_flush();
		if ( function_exists( 'wp_roles' ) ) {
			wp_roles()->for_site();
		}
		if ( isset( $GLOBALS['wp_rewrite'] ) ) {
			$GLOBALS['wp_rewrite']->init();
		}

		// Request globals and the current user.
		$_GET     = array();
		$_POST    = array();
		$_REQUEST = array();
		$_COOKIE  = array();
		$_FILES   = array();
		$_SERVER  = $b['server'];
		crisisdesk_tests_reset_server();
		wp_set_current_user( 0 );
		$GLOBALS['wp_rest_server']       = null;
		$GLOBALS['wp_query']             = new WP_Query();
		$GLOBALS['wp_the_query']         = $GLOBALS['wp_query'];
		$GLOBALS['post']                 = null;
		$GLOBALS['current_screen']       = null;
		$GLOBALS['crisisdesk_test_mails'] = array();
		if ( function_exists( 'wc_standin_set_action_scheduler' ) ) {
			wc_standin_set_action_scheduler( true );
		}
		if ( isset( $GLOBALS['crisisdesk_test_recorder'] ) ) {
			$GLOBALS['crisisdesk_test_recorder']->reset();
		}
	}

	/**
	 * Makes the options table equal to a snapshot, without hooks.
	 *
	 * @param array $snapshot option_name => row.
	 */
	private static function restore_options( array $snapshot ) {
		global $wpdb;
		$current = $wpdb->get_results( "SELECT option_name, option_value, autoload FROM {$wpdb->options}", OBJECT_K );
		$extra   = array_diff( array_keys( $current ), array_keys( $snapshot ) );
		foreach ( array_chunk( $extra, 200 ) as $names ) {
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name IN (" . implode( ',', array_fill( 0, count( $names ), '%s' ) ) . ')', $names ) ); // phpcs:ignore WordPress.DB
		}
		foreach ( $snapshot as $name => $row ) {
			if ( ! isset( $current[ $name ] ) ) {
				$wpdb->insert(
					$wpdb->options,
					array(
						'option_name'  => $name,
						'option_value' => $row->option_value,
						'autoload'     => $row->autoload,
					)
				);
			} elseif ( $current[ $name ]->option_value !== $row->option_value || $current[ $name ]->autoload !== $row->autoload ) {
				$wpdb->update(
					$wpdb->options,
					array(
						'option_value' => $row->option_value,
						'autoload'     => $row->autoload,
					),
					array( 'option_name' => $name )
				);
			}
		}
	}
}

<?php
/**
 * Throw-away WordPress sites for the bridge's tests.
 *
 * A site is a fresh MariaDB database plus a temporary directory whose entries are symlinks to
 * Debian's WordPress (/usr/share/wordpress) except wp-config.php (written here) and wp-content
 * (a real directory holding the plugin COPIED from plugin-bridge/, as a shop owner installs it,
 * a tiny theme, a must-use plugin that keeps WordPress from calling wordpress.org (site/), and
 * wp-content/plugins/woocommerce/woocommerce.php, which loads the WooCommerce
 * stand-in from tests/wc-standin/).
 *
 * WordPress is installed and the plugin activated in separate PHP processes (lib/wp-install.php,
 * lib/wp-activate.php), the way WordPress's own test suite installs in a child process
 * (tests/phpunit/includes/install.php) before loading WordPress in the test process.
 *
 * Used by bin/make-site.php (CLI, for the end-to-end tests) and by tests/bootstrap.php (PHPUnit).
 * Plain PHP only: nothing here may load WordPress.
 */

// phpcs:disable WordPress.WP.AlternativeFunctions -- WordPress is not loaded here.

/**
 * Raised when a site cannot be created; the message is meant for a human.
 */
class CrisisDesk_Site_Exception extends RuntimeException {
}

/**
 * Creates and drops throw-away WordPress sites.
 */
class CrisisDesk_Test_Site {

	/** Where Debian's wordpress package puts WordPress. */
	const WP_CORE_DIR = '/usr/share/wordpress';

	/** The plugin's path below wp-content/plugins. */
	const PLUGIN_FILE = 'crisisdesk-bridge/crisisdesk-bridge.php';

	/** Where the WooCommerce stand-in is installed, WooCommerce's own path. */
	const WC_PLUGIN_FILE = 'woocommerce/woocommerce.php';

	/** Marker file written into every site directory; --drop refuses directories without it. */
	const MARKER = '.crisisdesk-test-site.json';

	/** Entries of plugin-bridge/ that are not part of the installed plugin. */
	const PLUGIN_EXCLUDES = array( 'tests', 'phpunit.xml.dist', 'phpunit.xml', '.phpunit.result.cache', 'node_modules' );

	/**
	 * The plugin-bridge/ directory (the plugin's sources).
	 *
	 * @return string
	 */
	public static function plugin_source_dir() {
		return dirname( __DIR__, 2 );
	}

	/**
	 * The tests/ directory.
	 *
	 * @return string
	 */
	public static function tests_dir() {
		return dirname( __DIR__ );
	}

	/**
	 * Database connection settings from the environment.
	 *
	 * @return array{host:string,user:string,password:string}
	 */
	public static function db_settings_from_env() {
		$host     = getenv( 'CRISISDESK_WP_DB_HOST' );
		$user     = getenv( 'CRISISDESK_WP_DB_USER' );
		$password = getenv( 'CRISISDESK_WP_DB_PASSWORD' );
		return array(
			'host'     => ( false === $host || '' === $host ) ? '127.0.0.1' : $host,
			'user'     => ( false === $user || '' === $user ) ? 'root' : $user,
			'password' => false === $password ? '' : $password,
		);
	}

	/**
	 * Creates, installs and (unless told not to) activates the plugin on a new site.
	 *
	 * Options:
	 * - url:             the site's address (WP_HOME and WP_SITEURL), default http://127.0.0.1:8080
	 * - db:              database name, default $CRISISDESK_WP_DB or crisisdesk_wp_test_<pid>
	 * - dir:             the site directory (must not exist or be empty), default a new temp dir
	 * - title:           blog title
	 * - admin_password:  default a random one
	 * - plugin:          true (default) copies plugin-bridge/ and activates it; false installs no plugin
	 * - plugin_src:      the directory to copy the plugin from, default plugin-bridge/
	 * - wc_standin:      true (default) installs and activates the WooCommerce stand-in (before the plugin)
	 * - defines:         array NAME => value of extra constants for wp-config.php (set before activation)
	 * - block_external:  true (default) defines WP_HTTP_BLOCK_EXTERNAL (loopback hosts stay reachable)
	 * - debug_display:   show PHP errors in pages (default false: they go to wp-content/debug.log)
	 * - app_password:    true (default) creates an application password for admin (REST Basic auth)
	 *
	 * @param array $options See above.
	 * @return array{dir:string,db:string,url:string,admin_user:string,admin_password:string,admin_email:string,admin_app_password:?string,router:string,plugin_active:bool,plugin_dir:?string,debug_log:string,db_host:string,db_user:string}
	 * @throws CrisisDesk_Site_Exception When any step fails (whatever was created is removed again).
	 */
	public static function create( array $options = array() ) {
		$db_settings = self::db_settings_from_env();
		$env_db      = getenv( 'CRISISDESK_WP_DB' );
		$options    += array(
			'url'            => 'http://127.0.0.1:8080',
			'db'             => ( false !== $env_db && '' !== $env_db ) ? $env_db : 'crisisdesk_wp_test_' . getmypid(),
			'dir'            => null,
			'title'          => 'CrisisDesk Test Shop',
			'admin_password' => null,
			'plugin'         => true,
			'plugin_src'     => self::plugin_source_dir(),
			'wc_standin'     => true,
			'defines'        => array(),
			'block_external' => true,
			'debug_display'  => false,
			'app_password'   => true,
		);

		$url = rtrim( (string) $options['url'], '/' );
		if ( ! preg_match( '#^https?://[^/]+(/.*)?$#', $url ) ) {
			throw new CrisisDesk_Site_Exception( "not an http(s) URL: {$options['url']}" );
		}
		$db = (string) $options['db'];
		if ( ! preg_match( '/^[A-Za-z0-9_]{1,64}$/', $db ) ) {
			throw new CrisisDesk_Site_Exception( "bad database name (letters, digits and _ only): $db" );
		}
		if ( ! is_file( self::WP_CORE_DIR . '/wp-settings.php' ) ) {
			throw new CrisisDesk_Site_Exception( 'WordPress is not installed at ' . self::WP_CORE_DIR . ' (apt-get install wordpress)' );
		}

		$dir = $options['dir'];
		if ( null === $dir ) {
			$dir = self::make_temp_dir( 'crisisdesk-wp-' );
		} else {
			if ( file_exists( $dir ) && ( ! is_dir( $dir ) || count( scandir( $dir ) ) > 2 ) ) {
				throw new CrisisDesk_Site_Exception( "site directory exists and is not empty: $dir" );
			}
			if ( ! is_dir( $dir ) && ! mkdir( $dir, 0777, true ) ) {
				throw new CrisisDesk_Site_Exception( "cannot create $dir" );
			}
			$dir = realpath( $dir );
		}

		$admin_password = null !== $options['admin_password'] ? (string) $options['admin_password'] : self::random_string( 20 );
		$site           = array(
			'dir'                => $dir,
			'db'                 => $db,
			'url'                => $url,
			'admin_user'         => 'admin',
			'admin_password'     => $admin_password,
			'admin_email'        => 'admin@shop.example',
			'admin_app_password' => null,
			'router'             => self::tests_dir() . '/bin/router.php',
			'plugin_active'      => false,
			'plugin_dir'         => null,
			'debug_log'          => $dir . '/wp-content/debug.log',
			'db_host'            => $db_settings['host'],
			'db_user'            => $db_settings['user'],
		);

		$db_created = false;
		try {
			// The marker goes first, so that a failed creation can still be dropped by hand.
			self::write_file( $dir . '/' . self::MARKER, json_encode( array( 'db' => $db, 'db_host' => $db_settings['host'], 'db_user' => $db_settings['user'], 'url' => $url ), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) . "\n" );
			self::create_database( $db_settings, $db );
			$db_created = true;
			self::lay_out_files( $dir, $url, $db, $db_settings, $options );
			self::run_php( self::tests_dir() . '/lib/wp-install.php', array( $dir, $options['title'], $site['admin_email'], $admin_password ), 'installing WordPress' );

			if ( $options['wc_standin'] ) {
				self::install_wc_standin( $dir );
			}
			if ( $options['plugin'] ) {
				$site['plugin_dir'] = $dir . '/wp-content/plugins/' . dirname( self::PLUGIN_FILE );
				self::copy_plugin( $options['plugin_src'], $site['plugin_dir'] );
			}
			$activate = array();
			if ( $options['wc_standin'] ) {
				$activate[] = self::WC_PLUGIN_FILE;
			}
			if ( $options['plugin'] ) {
				$activate[] = self::PLUGIN_FILE;
			}
			$out = self::run_php(
				self::tests_dir() . '/lib/wp-activate.php',
				array_merge( array( $dir, $options['app_password'] ? '1' : '0' ), $activate ),
				$activate ? 'activating ' . implode( ' and ', $activate ) : 'finishing the install'
			);
			$result = preg_match( '/^CRISISDESK_RESULT (.*)$/m', $out, $m ) ? json_decode( $m[1], true ) : null;
			if ( ! is_array( $result ) ) {
				throw new CrisisDesk_Site_Exception( "finishing the install printed no result:\n$out" );
			}
			$noise = trim( preg_replace( '/^CRISISDESK_RESULT .*$/m', '', $out ) );
			if ( '' !== $noise ) {
				fwrite( STDERR, "[output while finishing the install]\n$noise\n" );
			}
			$site['plugin_active']      = in_array( self::PLUGIN_FILE, (array) ( $result['active_plugins'] ?? array() ), true );
			$site['admin_app_password'] = $result['app_password'] ?? null;
		} catch ( Throwable $e ) {
			try {
				if ( ! getenv( 'CRISISDESK_KEEP_FAILED_SITE' ) ) {
					self::drop_site_parts( $dir, $db_created ? $db : null, $db_settings );
				}
			} catch ( Throwable $ignored ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement
				// The original error matters more.
			}
			if ( $e instanceof CrisisDesk_Site_Exception ) {
				throw $e;
			}
			throw new CrisisDesk_Site_Exception( $e->getMessage(), 0, $e );
		}

		self::write_file( $dir . '/' . self::MARKER, json_encode( $site, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) . "\n" );
		return $site;
	}

	/**
	 * Drops a site's database and removes its directory.
	 *
	 * @param string $dir The site directory (must hold the marker file written by create()).
	 * @throws CrisisDesk_Site_Exception When $dir is not a site made here.
	 */
	public static function drop( $dir ) {
		$marker = rtrim( $dir, '/' ) . '/' . self::MARKER;
		if ( ! is_file( $marker ) ) {
			throw new CrisisDesk_Site_Exception( "not a throw-away site (no $marker); refusing to remove $dir" );
		}
		$info = json_decode( (string) file_get_contents( $marker ), true );
		if ( ! is_array( $info ) || empty( $info['db'] ) ) {
			throw new CrisisDesk_Site_Exception( "unreadable $marker" );
		}
		$db_settings = self::db_settings_from_env();
		if ( ! empty( $info['db_host'] ) ) {
			$db_settings['host'] = $info['db_host'];
		}
		if ( ! empty( $info['db_user'] ) ) {
			$db_settings['user'] = $info['db_user'];
		}
		self::drop_site_parts( $dir, $info['db'], $db_settings );
	}

	/**
	 * Drops a database (if named) and removes a directory (if it exists).
	 *
	 * @param string      $dir         Directory.
	 * @param string|null $db          Database name or null.
	 * @param array       $db_settings Connection settings.
	 */
	private static function drop_site_parts( $dir, $db, array $db_settings ) {
		$error = null;
		$mode  = ( new mysqli_driver() )->report_mode;
		if ( null !== $db ) {
			try {
				$mysqli = self::connect( $db_settings );
				$mysqli->query( 'DROP DATABASE IF EXISTS `' . $db . '`' );
				$mysqli->close();
			} catch ( Throwable $e ) {
				$error = $e;
			} finally {
				mysqli_report( $mode ); // connect() turned exceptions on; wpdb expects its own mode back.
			}
		}
		if ( is_dir( $dir ) ) {
			self::remove_tree( $dir );
		}
		if ( $error ) {
			throw new CrisisDesk_Site_Exception( "dropping database $db failed: " . $error->getMessage(), 0, $error );
		}
	}

	/**
	 * Connects to MariaDB.
	 *
	 * @param array $db_settings Connection settings.
	 * @return mysqli
	 * @throws CrisisDesk_Site_Exception When the server cannot be reached.
	 */
	private static function connect( array $db_settings ) {
		if ( ! function_exists( 'mysqli_init' ) ) {
			throw new CrisisDesk_Site_Exception( 'the mysqli extension is missing (apt-get install php-mysql)' );
		}
		mysqli_report( MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT );
		list( $host, $port, $socket ) = self::parse_db_host( $db_settings['host'] );
		try {
			$mysqli = mysqli_init();
			$mysqli->options( MYSQLI_OPT_CONNECT_TIMEOUT, 5 );
			$mysqli->real_connect( $host, $db_settings['user'], $db_settings['password'], null, $port, $socket );
			return $mysqli;
		} catch ( mysqli_sql_exception $e ) {
			throw new CrisisDesk_Site_Exception(
				"cannot connect to MariaDB at {$db_settings['host']} as {$db_settings['user']}: {$e->getMessage()}"
				. ' (is mariadb-server running? set CRISISDESK_WP_DB_HOST / _USER / _PASSWORD otherwise)',
				0,
				$e
			);
		}
	}

	/**
	 * Splits DB_HOST the way wpdb does: host, host:port or host:/path/to/socket.
	 *
	 * @param string $db_host DB_HOST value.
	 * @return array{0:string,1:int|null,2:string|null}
	 */
	private static function parse_db_host( $db_host ) {
		$port   = null;
		$socket = null;
		$host   = $db_host;
		if ( preg_match( '/^(.*?):(\d+)$/', $db_host, $m ) ) {
			$host = $m[1];
			$port = (int) $m[2];
		} elseif ( preg_match( '/^(.*?):(\/.+)$/', $db_host, $m ) ) {
			$host   = $m[1];
			$socket = $m[2];
		}
		return array( '' === $host ? 'localhost' : $host, $port, $socket );
	}

	/**
	 * Creates an empty database. A leftover of an earlier run (a crisisdesk_wp_test* name) is
	 * replaced; any other existing database is refused, never dropped.
	 *
	 * @param array  $db_settings Connection settings.
	 * @param string $db          Name.
	 */
	private static function create_database( array $db_settings, $db ) {
		$mode   = ( new mysqli_driver() )->report_mode;
		$mysqli = self::connect( $db_settings );
		try {
			$exists = $mysqli->query( "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" . $mysqli->real_escape_string( $db ) . "'" )->num_rows > 0;
			if ( $exists && 0 !== strpos( $db, 'crisisdesk_wp_test' ) ) {
				throw new CrisisDesk_Site_Exception( "database $db already exists and is not a throw-away test database (crisisdesk_wp_test*); choose another name" );
			}
			$mysqli->query( 'DROP DATABASE IF EXISTS `' . $db . '`' );
			$mysqli->query( 'CREATE DATABASE `' . $db . '` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci' );
		} catch ( mysqli_sql_exception $e ) {
			throw new CrisisDesk_Site_Exception( "cannot create database $db: {$e->getMessage()}", 0, $e );
		} finally {
			$mysqli->close();
			mysqli_report( $mode ); // connect() turned exceptions on; wpdb expects its own mode back.
		}
	}

	/**
	 * Symlinks WordPress into the site directory and writes wp-config.php and wp-content/.
	 *
	 * @param string $dir         Site directory.
	 * @param string $url         Site URL.
	 * @param string $db          Database name.
	 * @param array  $db_settings Connection settings.
	 * @param array  $options     create() options.
	 */
	private static function lay_out_files( $dir, $url, $db, array $db_settings, array $options ) {
		foreach ( scandir( self::WP_CORE_DIR ) as $entry ) {
			// .htaccess is Debian's link into /etc/wordpress; the built-in server ignores it anyway.
			if ( '.' === $entry[0] || 'wp-config.php' === $entry || 'wp-content' === $entry ) {
				continue;
			}
			if ( ! symlink( self::WP_CORE_DIR . '/' . $entry, $dir . '/' . $entry ) ) {
				throw new CrisisDesk_Site_Exception( "cannot symlink $entry into $dir" );
			}
		}
		foreach ( array( 'wp-content', 'wp-content/plugins', 'wp-content/mu-plugins', 'wp-content/themes', 'wp-content/uploads', 'wp-content/upgrade' ) as $sub ) {
			if ( ! is_dir( "$dir/$sub" ) && ! mkdir( "$dir/$sub", 0777, true ) ) {
				throw new CrisisDesk_Site_Exception( "cannot create $dir/$sub" );
			}
		}
		self::write_file( "$dir/wp-content/index.php", "<?php\n// Silence is golden.\n" );
		self::copy_tree( self::tests_dir() . '/theme/crisisdesk-test', "$dir/wp-content/themes/crisisdesk-test" );
		self::copy_tree( self::tests_dir() . '/site/crisisdesk-test-site.php', "$dir/wp-content/mu-plugins/crisisdesk-test-site.php" );
		self::write_file( "$dir/wp-config.php", self::wp_config( $dir, $url, $db, $db_settings, $options ) );
	}

	/**
	 * The site's wp-config.php.
	 *
	 * Every constant a test may want to change is guarded with defined(), so that a process
	 * (tests/bootstrap.php, lib/wp-install.php) can set it before requiring this file.
	 *
	 * @param string $dir         Site directory.
	 * @param string $url         Site URL.
	 * @param string $db          Database name.
	 * @param array  $db_settings Connection settings.
	 * @param array  $options     create() options.
	 * @return string
	 */
	private static function wp_config( $dir, $url, $db, array $db_settings, array $options ) {
		$e     = static function ( $value ) {
			return var_export( $value, true );
		};
		$lines = array(
			'<?php',
			'/*',
			' * Throw-away CrisisDesk test site, written by plugin-bridge/tests/lib/site.php.',
			' * Remove with: php plugin-bridge/tests/bin/make-site.php --drop ' . $dir,
			' */',
			'',
			"define( 'DB_NAME', {$e( $db )} );",
			"define( 'DB_USER', {$e( $db_settings['user'] )} );",
			"define( 'DB_PASSWORD', {$e( $db_settings['password'] )} );",
			"define( 'DB_HOST', {$e( $db_settings['host'] )} );",
			"define( 'DB_CHARSET', 'utf8mb4' );",
			"define( 'DB_COLLATE', '' );",
			'$table_prefix = \'wp_\'; // phpcs:ignore WordPress.WP.GlobalVariablesOverride',
			'',
		);
		foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as $key ) {
			$lines[] = "define( '$key', {$e( self::random_string( 64 ) )} );";
		}
		$lines[] = '';
		$lines[] = "defined( 'ABSPATH' ) || define( 'ABSPATH', {$e( $dir . '/' )} );";
		$lines[] = "define( 'WP_HOME', {$e( $url )} );";
		$lines[] = "define( 'WP_SITEURL', {$e( $url )} );";
		$lines[] = "define( 'WP_CONTENT_DIR', {$e( $dir . '/wp-content' )} );";
		$lines[] = "define( 'WP_CONTENT_URL', {$e( $url . '/wp-content' )} );";
		$lines[] = "define( 'WP_PLUGIN_DIR', {$e( $dir . '/wp-content/plugins' )} );";
		$lines[] = "define( 'WP_PLUGIN_URL', {$e( $url . '/wp-content/plugins' )} );";
		$lines[] = "define( 'WPMU_PLUGIN_DIR', {$e( $dir . '/wp-content/mu-plugins' )} );";
		$lines[] = "define( 'WPMU_PLUGIN_URL', {$e( $url . '/wp-content/mu-plugins' )} );";
		$lines[] = "defined( 'WP_DEFAULT_THEME' ) || define( 'WP_DEFAULT_THEME', 'crisisdesk-test' );";
		$lines[] = '// Tests run cron explicitly (wp-cron.php or do_action on the hook).';
		$lines[] = "defined( 'DISABLE_WP_CRON' ) || define( 'DISABLE_WP_CRON', true );";
		$lines[] = "defined( 'AUTOMATIC_UPDATER_DISABLED' ) || define( 'AUTOMATIC_UPDATER_DISABLED', true );";
		$lines[] = "defined( 'WP_AUTO_UPDATE_CORE' ) || define( 'WP_AUTO_UPDATE_CORE', false );";
		$lines[] = '// "local" also lets application passwords work over plain http.';
		$lines[] = "defined( 'WP_ENVIRONMENT_TYPE' ) || define( 'WP_ENVIRONMENT_TYPE', 'local' );";
		$lines[] = "defined( 'WP_DEBUG' ) || define( 'WP_DEBUG', true );";
		$lines[] = "defined( 'WP_DEBUG_DISPLAY' ) || define( 'WP_DEBUG_DISPLAY', {$e( (bool) $options['debug_display'] )} );";
		$lines[] = "defined( 'WP_DEBUG_LOG' ) || define( 'WP_DEBUG_LOG', {$e( $dir . '/wp-content/debug.log' )} );";
		if ( $options['block_external'] ) {
			$lines[] = '// Nothing may leave the machine; loopback stays reachable (the service, the recorder).';
			$lines[] = "defined( 'WP_HTTP_BLOCK_EXTERNAL' ) || define( 'WP_HTTP_BLOCK_EXTERNAL', true );";
			$lines[] = "defined( 'WP_ACCESSIBLE_HOSTS' ) || define( 'WP_ACCESSIBLE_HOSTS', '127.0.0.1,localhost,[::1]' );";
		}
		if ( $options['defines'] ) {
			$lines[] = '';
			$lines[] = '// Given to make-site.';
			foreach ( $options['defines'] as $name => $value ) {
				if ( ! preg_match( '/^[A-Za-z_][A-Za-z0-9_]*$/', (string) $name ) ) {
					throw new CrisisDesk_Site_Exception( "bad constant name: $name" );
				}
				$lines[] = "defined( '$name' ) || define( '$name', {$e( $value )} );";
			}
		}
		$lines[] = '';
		$lines[] = "require_once ABSPATH . 'wp-settings.php';";
		return implode( "\n", $lines ) . "\n";
	}

	/**
	 * Installs the WooCommerce stand-in where WooCommerce would be, wp-content/plugins/woocommerce/
	 * woocommerce.php (a small file that loads tests/wc-standin/ from the repository), so that it
	 * loads in WooCommerce's place in the plugin order, is_plugin_active() sees it, and its
	 * activation sets up WooCommerce's roles and options.
	 *
	 * @param string $dir Site directory.
	 */
	private static function install_wc_standin( $dir ) {
		$loader = self::tests_dir() . '/wc-standin/woocommerce-standin.php';
		mkdir( "$dir/wp-content/plugins/woocommerce", 0777, true );
		self::write_file(
			"$dir/wp-content/plugins/" . self::WC_PLUGIN_FILE,
			"<?php\n/**\n * Plugin Name: WooCommerce\n * Description: Stand-in for WooCommerce in the CrisisDesk bridge's tests (plugin-bridge/tests/wc-standin); not WooCommerce.\n * Version: 7.9.0\n * Requires PHP: 7.4\n */\n\ndefined( 'ABSPATH' ) || exit;\ndefined( 'WC_PLUGIN_FILE' ) || define( 'WC_PLUGIN_FILE', __FILE__ );\nrequire_once " . var_export( $loader, true ) . ";\n"
		);
	}

	/**
	 * Copies the plugin's sources (less tests and tooling) into wp-content/plugins.
	 *
	 * @param string $src  plugin-bridge/.
	 * @param string $dest wp-content/plugins/crisisdesk-bridge.
	 */
	private static function copy_plugin( $src, $dest ) {
		if ( ! is_dir( $src ) ) {
			throw new CrisisDesk_Site_Exception( "plugin source directory does not exist: $src" );
		}
		if ( ! mkdir( $dest, 0777, true ) ) {
			throw new CrisisDesk_Site_Exception( "cannot create $dest" );
		}
		foreach ( scandir( $src ) as $entry ) {
			if ( '.' === $entry[0] || in_array( $entry, self::PLUGIN_EXCLUDES, true ) ) {
				continue;
			}
			self::copy_tree( "$src/$entry", "$dest/$entry" );
		}
	}

	/**
	 * Runs a PHP script in a child process and returns its standard output.
	 *
	 * @param string   $script Script.
	 * @param string[] $args   Arguments.
	 * @param string   $what   What it does, for the error message.
	 * @return string
	 * @throws CrisisDesk_Site_Exception When it exits non-zero.
	 */
	public static function run_php( $script, array $args, $what ) {
		$cmd  = array_merge( array( PHP_BINARY, '-d', 'display_errors=stderr', $script ), array_map( 'strval', $args ) );
		$proc = proc_open( $cmd, array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		if ( ! is_resource( $proc ) ) {
			throw new CrisisDesk_Site_Exception( "cannot start PHP for $what" );
		}
		$stdout = '';
		$stderr = '';
		stream_set_blocking( $pipes[1], false );
		stream_set_blocking( $pipes[2], false );
		while ( ! feof( $pipes[1] ) || ! feof( $pipes[2] ) ) {
			$read   = array_filter( array( $pipes[1], $pipes[2] ), static fn( $p ) => ! feof( $p ) );
			$write  = null;
			$except = null;
			if ( false === stream_select( $read, $write, $except, 60 ) ) {
				break;
			}
			foreach ( $read as $pipe ) {
				$chunk = (string) fread( $pipe, 65536 );
				if ( $pipe === $pipes[1] ) {
					$stdout .= $chunk;
				} else {
					$stderr .= $chunk;
				}
			}
		}
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		$status = proc_close( $proc );
		if ( 0 !== $status ) {
			$detail = trim( $stderr . "\n" . $stdout );
			throw new CrisisDesk_Site_Exception( "$what failed (exit $status):\n" . ( '' === $detail ? '(no output)' : $detail ) );
		}
		if ( '' !== trim( $stderr ) ) {
			fwrite( STDERR, "[$what] " . trim( $stderr ) . "\n" );
		}
		return $stdout;
	}

	/**
	 * Makes a new private temporary directory.
	 *
	 * @param string $prefix Name prefix.
	 * @return string Its real path.
	 */
	public static function make_temp_dir( $prefix ) {
		$base = realpath( sys_get_temp_dir() );
		for ( $i = 0; $i < 20; $i++ ) {
			$dir = $base . '/' . $prefix . getmypid() . '-' . bin2hex( random_bytes( 4 ) );
			if ( @mkdir( $dir, 0700 ) ) { // phpcs:ignore WordPress.PHP.NoSilencedErrors
				return $dir;
			}
		}
		throw new CrisisDesk_Site_Exception( "cannot create a temporary directory in $base" );
	}

	/**
	 * Random letters and digits.
	 *
	 * @param int $length Length.
	 * @return string
	 */
	public static function random_string( $length ) {
		$chars = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
		$out   = '';
		for ( $i = 0; $i < $length; $i++ ) {
			$out .= $chars[ random_int( 0, strlen( $chars ) - 1 ) ];
		}
		return $out;
	}

	/**
	 * Writes a file or throws.
	 *
	 * @param string $path    Path.
	 * @param string $content Content.
	 */
	private static function write_file( $path, $content ) {
		if ( false === file_put_contents( $path, $content ) ) {
			throw new CrisisDesk_Site_Exception( "cannot write $path" );
		}
	}

	/**
	 * Copies a file or directory tree (symlinks are copied as what they point to).
	 *
	 * @param string $src  Source.
	 * @param string $dest Destination.
	 */
	private static function copy_tree( $src, $dest ) {
		if ( is_dir( $src ) ) {
			if ( ! is_dir( $dest ) && ! mkdir( $dest, 0777, true ) ) {
				throw new CrisisDesk_Site_Exception( "cannot create $dest" );
			}
			foreach ( scandir( $src ) as $entry ) {
				if ( '.' !== $entry && '..' !== $entry ) {
					self::copy_tree( "$src/$entry", "$dest/$entry" );
				}
			}
		} elseif ( ! copy( $src, $dest ) ) {
			throw new CrisisDesk_Site_Exception( "cannot copy $src to $dest" );
		}
	}

	/**
	 * Removes a directory tree without following symlinks (the WordPress links stay untouched).
	 *
	 * @param string $path Path.
	 */
	public static function remove_tree( $path ) {
		if ( is_link( $path ) || is_file( $path ) ) {
			@unlink( $path ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
			return;
		}
		if ( ! is_dir( $path ) ) {
			return;
		}
		foreach ( scandir( $path ) as $entry ) {
			if ( '.' !== $entry && '..' !== $entry ) {
				self::remove_tree( "$path/$entry" );
			}
		}
		@rmdir( $path ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
	}
}

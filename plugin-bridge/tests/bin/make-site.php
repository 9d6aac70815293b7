<?php
/**
 * Creates (or drops) a throw-away WordPress site with the bridge plugin installed and active.
 *
 *   php plugin-bridge/tests/bin/make-site.php [--url http://127.0.0.1:PORT] [options]
 *       prints {"dir", "db", "url", "admin_user", "admin_password", ...} as JSON on stdout
 *   php plugin-bridge/tests/bin/make-site.php --drop DIR
 *       drops the site's database and removes DIR
 *
 * Serve a site with PHP's built-in server through the router (never without it):
 *   php -S 127.0.0.1:PORT -t DIR plugin-bridge/tests/bin/router.php
 *
 * Database: $CRISISDESK_WP_DB (default crisisdesk_wp_test_<pid>) on $CRISISDESK_WP_DB_HOST
 * (127.0.0.1) as $CRISISDESK_WP_DB_USER (root) with $CRISISDESK_WP_DB_PASSWORD (empty).
 */

require_once dirname( __DIR__ ) . '/lib/site.php';

const CRISISDESK_MAKE_SITE_USAGE = <<<'USAGE'
usage: make-site.php [options]
       make-site.php --drop DIR

  --url URL              site address, WP_HOME/WP_SITEURL (default http://127.0.0.1:8080)
  --db NAME              database name (default $CRISISDESK_WP_DB or crisisdesk_wp_test_<pid>)
  --dir DIR              site directory, new or empty (default: a new temporary directory)
  --title TITLE          blog title
  --admin-password PW    admin's password (default: random, printed)
  --define NAME=VALUE    extra wp-config.php constant, set before activation (repeatable);
                         VALUE is read as JSON when it parses (true, 3, "x"), else as a string
  --plugin-src DIR       copy the plugin from DIR (default: plugin-bridge/)
  --no-plugin            install no plugin (harness development)
  --no-wc-standin        do not load the WooCommerce stand-in
  --allow-external-http  do not define WP_HTTP_BLOCK_EXTERNAL
  --debug-display        show PHP errors in pages (default: wp-content/debug.log only)
  --no-app-password      do not create an application password for admin
  --drop DIR             drop the database of the site in DIR and remove DIR

USAGE;

/**
 * Prints an error and exits.
 *
 * @param string $message Message.
 * @param int    $code    Exit status.
 */
function crisisdesk_make_site_fail( $message, $code = 1 ) {
	fwrite( STDERR, "make-site: $message\n" );
	exit( $code );
}

$args    = array_slice( $argv, 1 );
$options = array( 'defines' => array() );
$drop    = null;

while ( $args ) {
	$arg = array_shift( $args );
	if ( preg_match( '/^(--[a-z-]+)=(.*)$/s', $arg, $m ) ) {
		$arg = $m[1];
		array_unshift( $args, $m[2] );
	}
	$value = static function () use ( &$args, $arg ) {
		if ( ! $args ) {
			crisisdesk_make_site_fail( "$arg needs a value\n" . CRISISDESK_MAKE_SITE_USAGE, 2 );
		}
		return array_shift( $args );
	};
	switch ( $arg ) {
		case '--url':
			$options['url'] = $value();
			break;
		case '--db':
			$options['db'] = $value();
			break;
		case '--dir':
			$options['dir'] = $value();
			break;
		case '--title':
			$options['title'] = $value();
			break;
		case '--admin-password':
			$options['admin_password'] = $value();
			break;
		case '--plugin-src':
			$options['plugin_src'] = $value();
			break;
		case '--define':
			$pair = $value();
			if ( ! preg_match( '/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s', $pair, $m ) ) {
				crisisdesk_make_site_fail( "--define wants NAME=VALUE, got: $pair", 2 );
			}
			$decoded                       = json_decode( $m[2], true );
			$options['defines'][ $m[1] ] = ( null === $decoded && 'null' !== $m[2] ) || is_array( $decoded ) ? $m[2] : $decoded;
			break;
		case '--no-plugin':
			$options['plugin'] = false;
			break;
		case '--no-wc-standin':
			$options['wc_standin'] = false;
			break;
		case '--allow-external-http':
			$options['block_external'] = false;
			break;
		case '--debug-display':
			$options['debug_display'] = true;
			break;
		case '--no-app-password':
			$options['app_password'] = false;
			break;
		case '--drop':
			$drop = $value();
			break;
		case '-h':
		case '--help':
			echo CRISISDESK_MAKE_SITE_USAGE;
			exit( 0 );
		default:
			crisisdesk_make_site_fail( "unknown argument: $arg\n" . CRISISDESK_MAKE_SITE_USAGE, 2 );
	}
}

try {
	if ( null !== $drop ) {
		CrisisDesk_Test_Site::drop( $drop );
		echo json_encode( array( 'dropped' => $drop ) ), "\n";
		exit( 0 );
	}
	$site = CrisisDesk_Test_Site::create( $options );
} catch ( CrisisDesk_Site_Exception $e ) {
	crisisdesk_make_site_fail( $e->getMessage() );
}

echo json_encode( $site, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ), "\n";

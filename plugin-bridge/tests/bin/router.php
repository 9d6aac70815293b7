<?php
/**
 * Router for PHP's built-in server serving a throw-away site made by make-site.php:
 *
 *   php -S 127.0.0.1:PORT -t SITE_DIR plugin-bridge/tests/bin/router.php
 *
 * The site's WordPress files are symlinks into /usr/share/wordpress, and PHP resolves __FILE__
 * and __DIR__ of a symlinked file to its real path: run directly, /wp-login.php would fall back
 * on ABSPATH = /usr/share/wordpress/ and Debian's wp-config.php (which wants
 * /etc/wordpress/config-<host>.php). So every request comes through here, which defines ABSPATH
 * as the site directory first and then runs the WordPress entry point the URL names:
 *
 * - an existing non-PHP file (CSS, JS, images): served as is by the built-in server;
 * - an existing .php file, or a directory with index.php (/wp-admin/): run with SCRIPT_NAME,
 *   PHP_SELF and SCRIPT_FILENAME set as Apache would set them; a directory without a trailing
 *   slash is redirected first, as Apache's mod_dir does;
 * - anything else (pretty permalinks, /wp-json/...): /index.php, as WordPress's .htaccess does.
 *
 * wp-cron.php needs one more step, explained where it is handled below.
 */

$crisisdesk_root = rtrim( str_replace( '\\', '/', (string) $_SERVER['DOCUMENT_ROOT'] ), '/' );
$crisisdesk_uri  = (string) $_SERVER['REQUEST_URI'];
$crisisdesk_path = rawurldecode( (string) parse_url( $crisisdesk_uri, PHP_URL_PATH ) );

// No way out of the document root.
if ( '' === $crisisdesk_path || '/' !== $crisisdesk_path[0] || preg_match( '#(^|/)\.\.(/|$)#', $crisisdesk_path ) || false !== strpos( $crisisdesk_path, "\0" ) ) {
	http_response_code( 400 );
	echo "Bad request\n";
	return true;
}

$crisisdesk_target = $crisisdesk_root . $crisisdesk_path;
$crisisdesk_script = null;

if ( is_dir( $crisisdesk_target ) ) {
	if ( is_file( rtrim( $crisisdesk_target, '/' ) . '/index.php' ) ) {
		if ( '/' !== substr( $crisisdesk_path, -1 ) ) {
			$crisisdesk_query = parse_url( $crisisdesk_uri, PHP_URL_QUERY );
			header( 'Location: ' . $crisisdesk_path . '/' . ( null !== $crisisdesk_query ? '?' . $crisisdesk_query : '' ), true, 301 );
			return true;
		}
		$crisisdesk_script = rtrim( $crisisdesk_path, '/' ) . '/index.php';
	}
} elseif ( is_file( $crisisdesk_target ) ) {
	if ( '.php' !== strtolower( substr( $crisisdesk_target, -4 ) ) ) {
		return false; // Static file.
	}
	$crisisdesk_script = $crisisdesk_path;
}

if ( null === $crisisdesk_script ) {
	$crisisdesk_script = '/index.php';
}

$crisisdesk_file = $crisisdesk_root . $crisisdesk_script;

define( 'ABSPATH', $crisisdesk_root . '/' );

$_SERVER['SCRIPT_NAME']     = $crisisdesk_script;
$_SERVER['PHP_SELF']        = $crisisdesk_script;
$_SERVER['SCRIPT_FILENAME'] = $crisisdesk_file;

chdir( dirname( $crisisdesk_file ) );

// wp-cron.php loads WordPress only when ABSPATH is NOT defined yet (it assumes an already loaded
// WordPress otherwise), so with ABSPATH defined here it would run without WordPress and die on
// an undefined function. Run WordPress's own wp-cron.php with only that condition changed: load
// wp-load.php unless WordPress is loaded (WPINC), from ABSPATH instead of its real directory.
if ( '/wp-cron.php' === $crisisdesk_script ) {
	$crisisdesk_source  = (string) file_get_contents( $crisisdesk_file );
	$crisisdesk_patched = str_replace(
		array( "if ( ! defined( 'ABSPATH' ) ) {", "require_once __DIR__ . '/wp-load.php';" ),
		array( "if ( ! defined( 'WPINC' ) ) {", "require_once ABSPATH . 'wp-load.php';" ),
		$crisisdesk_source,
		$crisisdesk_count
	);
	if ( 2 !== $crisisdesk_count ) {
		http_response_code( 500 );
		echo "router.php: this WordPress's wp-cron.php is not the one the router knows how to run\n";
		return true;
	}
	$crisisdesk_file = $crisisdesk_root . '/wp-content/.crisisdesk-wp-cron-' . md5( $crisisdesk_patched ) . '.php';
	if ( ! is_file( $crisisdesk_file ) ) {
		file_put_contents( $crisisdesk_file . '.' . getmypid(), $crisisdesk_patched );
		rename( $crisisdesk_file . '.' . getmypid(), $crisisdesk_file );
	}
	unset( $crisisdesk_source, $crisisdesk_patched, $crisisdesk_count );
}

// The entry point runs in this file's scope, as if it were the script itself: WordPress's entry
// points only ever use globals they declare or $GLOBALS, and wp-config.php's $table_prefix is
// read in the same scope that required it.
unset( $crisisdesk_uri, $crisisdesk_path, $crisisdesk_target, $crisisdesk_query );
require $crisisdesk_file;
return true;

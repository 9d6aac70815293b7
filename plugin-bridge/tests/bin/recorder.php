<?php
/**
 * Recorder: a router for PHP's built-in server that stands in for any HTTP service the plugin
 * calls (the CrisisDesk service) and remembers what it was sent.
 *
 *   CRISISDESK_RECORDER_DIR=/some/dir php -S 127.0.0.1:PORT plugin-bridge/tests/bin/recorder.php
 *
 * Every request is appended as one JSON line to $CRISISDESK_RECORDER_DIR/requests.jsonl:
 *   {"time": 1700000000.123, "method": "POST", "path": "/api/v1/shops/1/events",
 *    "query": "a=1", "headers": {"Content-Type": "application/json", ...}, "body": "<raw body>"}
 * (headers as the client sent them; the body as a string, exactly as received).
 *
 * The answer is the first entry of the JSON array in $CRISISDESK_RECORDER_DIR/responses.json,
 * which is then removed from the array (a queue the test scripts):
 *   [{"status": 202, "body": {"status": "accepted"}, "headers": {"X-A": "b"}, "delay": 0.5}]
 * - body: an array/object is sent as JSON (Content-Type application/json unless headers say
 *   otherwise), a string as it is, null as an empty body;
 * - delay: seconds to wait before answering (for the plugin's timeouts);
 * - "repeat": true keeps the entry at the head of the queue (it answers every later request).
 * With the queue empty the answer is 202 {"status":"accepted"}.
 *
 * GET /__recorder/health answers 200 "ok" and is not recorded (used to wait for the server).
 * PHP_CLI_SERVER_WORKERS may be set for concurrent requests; the files are locked.
 */

$crisisdesk_dir = getenv( 'CRISISDESK_RECORDER_DIR' );
if ( false === $crisisdesk_dir || ! is_dir( $crisisdesk_dir ) ) {
	http_response_code( 500 );
	header( 'Content-Type: text/plain' );
	echo "recorder: CRISISDESK_RECORDER_DIR is not set to a directory\n";
	return true;
}

$crisisdesk_uri   = (string) $_SERVER['REQUEST_URI'];
$crisisdesk_path  = (string) parse_url( $crisisdesk_uri, PHP_URL_PATH );
$crisisdesk_query = (string) parse_url( $crisisdesk_uri, PHP_URL_QUERY );

if ( '/__recorder/health' === $crisisdesk_path ) {
	header( 'Content-Type: text/plain' );
	echo "ok\n";
	return true;
}

$crisisdesk_lock = fopen( $crisisdesk_dir . '/lock', 'c' );
flock( $crisisdesk_lock, LOCK_EX );

// Record.
$crisisdesk_record = array(
	'time'    => microtime( true ),
	'method'  => (string) $_SERVER['REQUEST_METHOD'],
	'path'    => $crisisdesk_path,
	'query'   => $crisisdesk_query,
	'headers' => function_exists( 'getallheaders' ) ? getallheaders() : array(),
	'body'    => (string) file_get_contents( 'php://input' ),
);
$crisisdesk_line   = json_encode( $crisisdesk_record, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE );
if ( false === $crisisdesk_line ) {
	$crisisdesk_record['body']     = base64_encode( $crisisdesk_record['body'] );
	$crisisdesk_record['encoding'] = 'base64';
	$crisisdesk_line               = json_encode( $crisisdesk_record, JSON_UNESCAPED_SLASHES );
}
file_put_contents( $crisisdesk_dir . '/requests.jsonl', $crisisdesk_line . "\n", FILE_APPEND );

// Take the next scripted answer.
$crisisdesk_answer = array(
	'status' => 202,
	'body'   => array( 'status' => 'accepted' ),
);
$crisisdesk_queue_file = $crisisdesk_dir . '/responses.json';
if ( is_file( $crisisdesk_queue_file ) ) {
	$crisisdesk_queue = json_decode( (string) file_get_contents( $crisisdesk_queue_file ), true );
	if ( is_array( $crisisdesk_queue ) && $crisisdesk_queue ) {
		$crisisdesk_answer = $crisisdesk_queue[0];
		if ( empty( $crisisdesk_answer['repeat'] ) ) {
			array_shift( $crisisdesk_queue );
			file_put_contents( $crisisdesk_queue_file, json_encode( $crisisdesk_queue, JSON_UNESCAPED_SLASHES ) );
		}
	}
}

flock( $crisisdesk_lock, LOCK_UN );
fclose( $crisisdesk_lock );

if ( ! empty( $crisisdesk_answer['delay'] ) ) {
	usleep( (int) round( (float) $crisisdesk_answer['delay'] * 1000000 ) );
}

$crisisdesk_headers = isset( $crisisdesk_answer['headers'] ) && is_array( $crisisdesk_answer['headers'] ) ? $crisisdesk_answer['headers'] : array();
$crisisdesk_body    = array_key_exists( 'body', $crisisdesk_answer ) ? $crisisdesk_answer['body'] : null;
if ( is_array( $crisisdesk_body ) ) {
	$crisisdesk_body = json_encode( $crisisdesk_body, JSON_UNESCAPED_SLASHES );
	if ( ! array_filter( array_keys( $crisisdesk_headers ), static fn( $h ) => 'content-type' === strtolower( $h ) ) ) {
		$crisisdesk_headers['Content-Type'] = 'application/json';
	}
}

http_response_code( (int) ( $crisisdesk_answer['status'] ?? 202 ) );
foreach ( $crisisdesk_headers as $crisisdesk_name => $crisisdesk_value ) {
	header( $crisisdesk_name . ': ' . $crisisdesk_value );
}
if ( null !== $crisisdesk_body ) {
	echo (string) $crisisdesk_body;
}
return true;

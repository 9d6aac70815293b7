<?php
/**
 * Starts, scripts, reads and stops the recorder (bin/recorder.php under PHP's built-in server):
 * a stand-in for the CrisisDesk service that records what the plugin sends.
 * Plain PHP; WordPress is not needed.
 */

// phpcs:disable WordPress.WP.AlternativeFunctions -- WordPress may not be loaded.

/**
 * One recorder server in the background.
 */
class CrisisDesk_Test_Recorder {

	/**
	 * Base URL, http://127.0.0.1:PORT.
	 *
	 * @var string
	 */
	private $url;

	/**
	 * Directory with requests.jsonl and responses.json.
	 *
	 * @var string
	 */
	private $dir;

	/**
	 * The server process.
	 *
	 * @var resource|null
	 */
	private $proc;

	/**
	 * Starts a recorder on a free loopback port and waits until it answers.
	 *
	 * @return self
	 * @throws RuntimeException When it cannot be started.
	 */
	public static function start() {
		require_once __DIR__ . '/site.php';
		$dir      = CrisisDesk_Test_Site::make_temp_dir( 'crisisdesk-recorder-' );
		$recorder = new self();
		$last     = '';
		for ( $attempt = 0; $attempt < 5; $attempt++ ) {
			$port = self::free_port();
			$env  = getenv();
			$env['CRISISDESK_RECORDER_DIR'] = $dir;
			unset( $env['PHP_CLI_SERVER_WORKERS'] );
			$proc = proc_open(
				array( PHP_BINARY, '-S', "127.0.0.1:$port", __DIR__ . '/../bin/recorder.php' ),
				array(
					0 => array( 'file', '/dev/null', 'r' ),
					1 => array( 'file', "$dir/server.log", 'a' ),
					2 => array( 'file', "$dir/server.log", 'a' ),
				),
				$pipes,
				$dir,
				$env
			);
			if ( ! is_resource( $proc ) ) {
				throw new RuntimeException( 'cannot start the recorder (php -S)' );
			}
			$recorder->proc = $proc;
			$recorder->dir  = $dir;
			$recorder->url  = "http://127.0.0.1:$port";
			$recorder->reset();
			$deadline = microtime( true ) + 10;
			while ( microtime( true ) < $deadline ) {
				$status = proc_get_status( $proc );
				if ( ! $status['running'] ) {
					break;
				}
				$conn = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.2 ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
				if ( $conn ) {
					fwrite( $conn, "GET /__recorder/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" );
					$answer = (string) stream_get_contents( $conn );
					fclose( $conn );
					if ( false !== strpos( $answer, "\r\n\r\nok" ) ) {
						return $recorder;
					}
				}
				usleep( 20000 );
			}
			$last = is_file( "$dir/server.log" ) ? (string) file_get_contents( "$dir/server.log" ) : '';
			$recorder->stop_process();
		}
		CrisisDesk_Test_Site::remove_tree( $dir );
		throw new RuntimeException( "the recorder did not start:\n$last" );
	}

	/**
	 * A loopback port nobody listens on right now.
	 *
	 * @return int
	 */
	private static function free_port() {
		$socket = stream_socket_server( 'tcp://127.0.0.1:0', $errno, $errstr );
		if ( ! $socket ) {
			throw new RuntimeException( "no free port: $errstr" );
		}
		$name = stream_socket_get_name( $socket, false );
		fclose( $socket );
		return (int) substr( $name, strrpos( $name, ':' ) + 1 );
	}

	/**
	 * URL of a path on the recorder.
	 *
	 * @param string $path Path, e.g. /api/v1/shops/1/events.
	 * @return string
	 */
	public function url( $path = '' ) {
		return $this->url . $path;
	}

	/**
	 * The directory holding requests.jsonl, responses.json and server.log.
	 *
	 * @return string
	 */
	public function dir() {
		return $this->dir;
	}

	/**
	 * Forgets recorded requests and scripted answers.
	 */
	public function reset() {
		$this->locked(
			function () {
				file_put_contents( $this->dir . '/requests.jsonl', '' );
				file_put_contents( $this->dir . '/responses.json', '[]' );
			}
		);
	}

	/**
	 * Queues answers, one per coming request, in order (appended to those still queued):
	 * [['status' => 500, 'body' => ['error' => 'x'], 'headers' => [...], 'delay' => 1.5, 'repeat' => false], ...].
	 * Afterwards (or with none queued) the recorder answers 202 {"status":"accepted"}.
	 *
	 * @param array $responses Answers.
	 */
	public function script_responses( array $responses ) {
		foreach ( $responses as $i => $response ) {
			if ( ! is_array( $response ) || ( isset( $response['status'] ) && ! is_int( $response['status'] ) ) ) {
				throw new InvalidArgumentException( "scripted response $i must be an array with an int status" );
			}
		}
		$this->locked(
			function () use ( $responses ) {
				$queue = json_decode( (string) file_get_contents( $this->dir . '/responses.json' ), true );
				$queue = array_merge( is_array( $queue ) ? $queue : array(), array_values( $responses ) );
				file_put_contents( $this->dir . '/responses.json', json_encode( $queue, JSON_UNESCAPED_SLASHES ) );
			}
		);
	}

	/**
	 * Answers still queued.
	 *
	 * @return array
	 */
	public function pending_responses() {
		$queue = json_decode( (string) file_get_contents( $this->dir . '/responses.json' ), true );
		return is_array( $queue ) ? $queue : array();
	}

	/**
	 * Requests received so far, oldest first. Each: method, path, query (string), headers (as
	 * sent), header (lower-cased names => value), body (raw string), json (decoded body or null),
	 * time (float).
	 *
	 * @return array[]
	 */
	public function recorded_requests() {
		$requests = array();
		$lines    = $this->locked(
			function () {
				return (string) file_get_contents( $this->dir . '/requests.jsonl' );
			}
		);
		foreach ( explode( "\n", $lines ) as $line ) {
			if ( '' === trim( $line ) ) {
				continue;
			}
			$request = json_decode( $line, true );
			if ( ! is_array( $request ) ) {
				continue;
			}
			if ( isset( $request['encoding'] ) && 'base64' === $request['encoding'] ) {
				$request['body'] = base64_decode( $request['body'] ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions
			}
			$request['header'] = array_change_key_case( (array) $request['headers'], CASE_LOWER );
			$decoded           = json_decode( $request['body'], true );
			$request['json']   = ( JSON_ERROR_NONE === json_last_error() ) ? $decoded : null;
			$requests[]        = $request;
		}
		return $requests;
	}

	/**
	 * The server's own log (PHP errors of the recorder end up here).
	 *
	 * @return string
	 */
	public function server_log() {
		return is_file( $this->dir . '/server.log' ) ? (string) file_get_contents( $this->dir . '/server.log' ) : '';
	}

	/**
	 * Stops the server and removes its directory.
	 */
	public function stop() {
		$this->stop_process();
		if ( $this->dir ) {
			CrisisDesk_Test_Site::remove_tree( $this->dir );
			$this->dir = null;
		}
	}

	/**
	 * Stops the server process (the php process this object started, by its handle).
	 */
	private function stop_process() {
		if ( is_resource( $this->proc ) ) {
			proc_terminate( $this->proc, 15 );
			$deadline = microtime( true ) + 2;
			while ( microtime( true ) < $deadline && proc_get_status( $this->proc )['running'] ) {
				usleep( 10000 );
			}
			if ( proc_get_status( $this->proc )['running'] ) {
				proc_terminate( $this->proc, 9 );
			}
			proc_close( $this->proc );
		}
		$this->proc = null;
	}

	/**
	 * Runs $fn holding the lock the recorder takes.
	 *
	 * @param callable $fn Function.
	 * @return mixed
	 */
	private function locked( callable $fn ) {
		$lock = fopen( $this->dir . '/lock', 'c' );
		flock( $lock, LOCK_EX );
		try {
			return $fn();
		} finally {
			flock( $lock, LOCK_UN );
			fclose( $lock );
		}
	}
}

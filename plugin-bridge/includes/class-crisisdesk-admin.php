<?php
/**
 * The settings page (WooCommerce → CrisisDesk) and its actions.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Every action is a POST to admin-post.php with its own nonce and a capability check; results
 * come back to the page as a one-time notice for the acting user.
 */
final class CrisisDesk_Admin {

	const SLUG = 'crisisdesk';

	/** Seconds of clock difference with the service worth a warning (signatures allow 300). */
	const CLOCK_WARNING = 60;

	const ACTIONS = array(
		'crisisdesk_save_settings'    => 'save_settings',
		'crisisdesk_test_connection'  => 'test_connection',
		'crisisdesk_retry_failed'     => 'retry_failed',
		'crisisdesk_deliver_now'      => 'deliver_now',
		'crisisdesk_request_backfill' => 'request_backfill',
	);

	/** Hook the page and its actions in. */
	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'add_page' ), 60 );
		foreach ( self::ACTIONS as $action => $method ) {
			add_action( 'admin_post_' . $action, array( __CLASS__, $method ) );
		}
		add_filter( 'plugin_action_links_' . plugin_basename( CRISISDESK_BRIDGE_FILE ), array( __CLASS__, 'action_links' ) );
	}

	/** @return string Shop managers manage it where WooCommerce runs; administrators otherwise. */
	public static function capability() {
		return class_exists( 'WooCommerce' ) ? 'manage_woocommerce' : 'manage_options';
	}

	/** @return string The settings page's URL. */
	public static function page_url() {
		return class_exists( 'WooCommerce' ) ? admin_url( 'admin.php?page=' . self::SLUG ) : admin_url( 'options-general.php?page=' . self::SLUG );
	}

	/** Under WooCommerce's menu, or under Settings when WooCommerce is not active. */
	public static function add_page() {
		$title = __( 'CrisisDesk', 'crisisdesk-bridge' );
		if ( class_exists( 'WooCommerce' ) ) {
			add_submenu_page( 'woocommerce', $title, $title, self::capability(), self::SLUG, array( __CLASS__, 'render' ) );
		} else {
			add_options_page( $title, $title, self::capability(), self::SLUG, array( __CLASS__, 'render' ) );
		}
	}

	/**
	 * A "Settings" link on the Plugins screen.
	 *
	 * @param array $links Existing links.
	 * @return array
	 */
	public static function action_links( $links ) {
		array_unshift( $links, '<a href="' . esc_url( self::page_url() ) . '">' . esc_html__( 'Settings', 'crisisdesk-bridge' ) . '</a>' );
		return $links;
	}

	/** Save the service URL, shop id, secret and reply user; nothing is saved when one is invalid. */
	public static function save_settings() {
		self::guard( 'crisisdesk_save_settings' );
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- guard() checked the nonce.
		$input = array(
			'service_url' => isset( $_POST['crisisdesk_service_url'] ) ? trim( sanitize_text_field( wp_unslash( $_POST['crisisdesk_service_url'] ) ) ) : '',
			'shop_id'     => isset( $_POST['crisisdesk_shop_id'] ) ? trim( sanitize_text_field( wp_unslash( $_POST['crisisdesk_shop_id'] ) ) ) : '',
			'secret'      => isset( $_POST['crisisdesk_secret'] ) ? trim( sanitize_text_field( wp_unslash( $_POST['crisisdesk_secret'] ) ) ) : '',
			'reply_user'  => isset( $_POST['crisisdesk_reply_user_id'] ) ? absint( $_POST['crisisdesk_reply_user_id'] ) : 0,
		);
		// phpcs:enable
		$errors = self::validate( $input );
		if ( $errors ) {
			self::finish( 'error', implode( ' ', $errors ) );
		}
		if ( ! CrisisDesk_Config::is_fixed( 'service_url' ) ) {
			update_option( 'crisisdesk_service_url', untrailingslashit( esc_url_raw( $input['service_url'], array( 'http', 'https' ) ) ) );
		}
		if ( ! CrisisDesk_Config::is_fixed( 'shop_id' ) ) {
			update_option( 'crisisdesk_shop_id', (string) absint( $input['shop_id'] ) );
		}
		if ( ! CrisisDesk_Config::is_fixed( 'secret' ) && '' !== $input['secret'] ) {
			update_option( 'crisisdesk_secret', $input['secret'], false );
		}
		update_option( CrisisDesk_Config::REPLY_USER_OPTION, $input['reply_user'] ? $input['reply_user'] : get_current_user_id() );
		delete_transient( CrisisDesk_Widget::CACHE_KEY );
		CrisisDesk_Runner::schedule( 0 ); // Events queued before the bridge was configured can go now.
		self::finish( 'success', __( 'Settings saved. Use "Test connection" to check them.', 'crisisdesk-bridge' ) );
	}

	/**
	 * Check the submitted settings.
	 *
	 * @param array $input Trimmed input.
	 * @return string[] Error messages, empty when valid.
	 */
	public static function validate( array $input ) {
		$errors = array();
		if ( ! CrisisDesk_Config::is_fixed( 'service_url' ) ) {
			$parts = wp_parse_url( $input['service_url'] );
			if ( ! $parts || empty( $parts['host'] ) || ! in_array( strtolower( isset( $parts['scheme'] ) ? $parts['scheme'] : '' ), array( 'http', 'https' ), true ) ) {
				$errors[] = __( 'The service URL must be a full http:// or https:// address.', 'crisisdesk-bridge' );
			}
		}
		if ( ! CrisisDesk_Config::is_fixed( 'shop_id' ) && ! preg_match( '/^[1-9]\d{0,9}$/', $input['shop_id'] ) ) {
			$errors[] = __( 'The shop id must be a positive whole number.', 'crisisdesk-bridge' );
		}
		if ( ! CrisisDesk_Config::is_fixed( 'secret' ) ) {
			if ( '' === $input['secret'] && '' === CrisisDesk_Config::secret() ) {
				$errors[] = __( 'Paste the shared secret that CrisisDesk showed when the shop was added.', 'crisisdesk-bridge' );
			} elseif ( '' !== $input['secret'] && false === CrisisDesk_Signature::key_from_secret( $input['secret'] ) ) {
				$errors[] = __( 'The shared secret must start with "whsec_" and be copied whole.', 'crisisdesk-bridge' );
			}
		}
		if ( $input['reply_user'] && ! CrisisDesk_Config::can_be_reply_user( $input['reply_user'] ) ) {
			$errors[] = __( 'Replies must be posted by a user who may moderate reviews and read orders (a shop manager or an administrator).', 'crisisdesk-bridge' );
		}
		return $errors;
	}

	/**
	 * Send a signed ping and report what came back. Only CrisisDesk's own answer about this shop
	 * counts as connected: a 200 from some other server at the URL (a proxy's page, a catch-all
	 * site) must not.
	 */
	public static function test_connection() {
		self::guard( 'crisisdesk_test_connection' );
		$client = CrisisDesk_Service_Client::from_config();
		$answer = is_wp_error( $client ) ? $client : $client->ping();
		if ( is_wp_error( $answer ) ) {
			self::finish( 'error', $answer->get_error_message() );
		}
		if ( 200 !== $answer['status'] ) {
			/* translators: %s: the service's answer. */
			self::finish( 'error', sprintf( __( 'CrisisDesk refused the signed ping: %s', 'crisisdesk-bridge' ), $answer['error'] ) );
		}
		$body = $answer['body'];
		$shop = is_array( $body ) && isset( $body['shop'] ) && is_array( $body['shop'] ) ? $body['shop'] : null;
		if ( ! $shop || ! isset( $shop['id'] ) || ! is_scalar( $shop['id'] ) ) {
			self::finish( 'error', __( 'Something answered at the service URL, but not as CrisisDesk does. Check the service URL: it is the address of CrisisDesk itself, without /api/....', 'crisisdesk-bridge' ) );
		}
		if ( (int) $shop['id'] !== CrisisDesk_Config::shop_id() ) {
			/* translators: 1: shop id in the answer, 2: configured shop id. */
			self::finish( 'error', sprintf( __( 'CrisisDesk answered for shop %1$d instead of shop %2$d. Check the shop id.', 'crisisdesk-bridge' ), (int) $shop['id'], CrisisDesk_Config::shop_id() ) );
		}
		$name    = isset( $shop['name'] ) && is_scalar( $shop['name'] ) ? (string) $shop['name'] : '';
		/* translators: 1: shop name, 2: milliseconds. */
		$message = sprintf( __( 'Connected. CrisisDesk knows this site as "%1$s" and answered in %2$d ms.', 'crisisdesk-bridge' ), $name, $answer['elapsed_ms'] );
		$skew    = self::clock_skew( isset( $body['service_time'] ) ? $body['service_time'] : null );
		if ( null !== $skew && abs( $skew ) > self::CLOCK_WARNING ) {
			$message .= ' ' . sprintf(
				/* translators: 1: seconds, 2: "behind" or "ahead of". */
				__( 'This site\'s clock is %1$d seconds %2$s CrisisDesk\'s: signed calls fail once the difference passes 5 minutes. Ask your host to synchronise the server\'s clock (NTP).', 'crisisdesk-bridge' ),
				abs( $skew ),
				$skew > 0 ? __( 'behind', 'crisisdesk-bridge' ) : __( 'ahead of', 'crisisdesk-bridge' )
			);
			self::finish( 'warning', $message );
		}
		self::finish( 'success', $message );
	}

	/**
	 * Seconds the service's clock is ahead of ours (negative: behind), from the ping's service_time.
	 *
	 * @param mixed $service_time ISO 8601 UTC time, e.g. 2026-11-22T10:00:00Z.
	 * @return int|null Null when the answer has no readable time.
	 */
	private static function clock_skew( $service_time ) {
		if ( ! is_string( $service_time ) || '' === $service_time ) {
			return null;
		}
		$when = strtotime( $service_time );
		return false === $when ? null : $when - time();
	}

	/** Put failed events back in the queue and start a delivery run. */
	public static function retry_failed() {
		self::guard( 'crisisdesk_retry_failed' );
		$count = CrisisDesk_Queue::retry_failed();
		CrisisDesk_Runner::schedule( 0 );
		/* translators: %d: number of events. */
		self::finish( 'success', sprintf( _n( '%d failed event is queued again.', '%d failed events are queued again.', $count, 'crisisdesk-bridge' ), $count ) );
	}

	/** Run the delivery now, in this request, instead of waiting for the scheduler. */
	public static function deliver_now() {
		self::guard( 'crisisdesk_deliver_now' );
		if ( ! CrisisDesk_Config::is_configured() ) {
			self::finish( 'error', __( 'Set the CrisisDesk service URL, shop id and shared secret first.', 'crisisdesk-bridge' ) );
		}
		$done = CrisisDesk_Runner::run();
		/* translators: 1: delivered, 2: failed, 3: waiting for a retry. */
		self::finish( $done['failed'] || $done['retrying'] ? 'error' : 'success', sprintf( __( 'Delivered %1$d, failed %2$d, waiting to retry %3$d.', 'crisisdesk-bridge' ), $done['delivered'], $done['failed'], $done['retrying'] ) );
	}

	/** Ask the service to import this shop's order and review history. */
	public static function request_backfill() {
		self::guard( 'crisisdesk_request_backfill' );
		$restart = ! empty( $_POST['crisisdesk_restart'] ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- guard() checked the nonce.
		$client  = CrisisDesk_Service_Client::from_config();
		$answer  = is_wp_error( $client ) ? $client : $client->request_backfill( $restart );
		if ( is_wp_error( $answer ) ) {
			self::finish( 'error', $answer->get_error_message() );
		}
		if ( $answer['status'] < 200 || $answer['status'] >= 300 ) {
			/* translators: %s: the service's answer. */
			self::finish( 'error', sprintf( __( 'CrisisDesk did not start the import: %s', 'crisisdesk-bridge' ), $answer['error'] ) );
		}
		self::finish( 'success', __( 'CrisisDesk is importing this shop\'s orders and reviews. Progress shows in the CrisisDesk panel.', 'crisisdesk-bridge' ) );
	}

	/** Draw the page. */
	public static function render() {
		if ( ! current_user_can( self::capability() ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage CrisisDesk.', 'crisisdesk-bridge' ), 403 );
		}
		$stats           = CrisisDesk_Queue::stats();
		$failed          = CrisisDesk_Queue::failed( 20 );
		$review_requests = CrisisDesk_Review_Requests::log_entries();
		$notice          = self::take_notice();
		include CRISISDESK_BRIDGE_DIR . 'includes/views/settings-page.php';
	}

	/**
	 * A form that posts one action with its nonce.
	 *
	 * @param string $action  The admin-post action.
	 * @param string $label   Button label.
	 * @param string $extra   Extra, already-escaped form fields.
	 * @param string $classes Button classes.
	 */
	public static function action_form( $action, $label, $extra = '', $classes = 'button' ) {
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" class="crisisdesk-action">';
		echo '<input type="hidden" name="action" value="' . esc_attr( $action ) . '" />';
		wp_nonce_field( $action );
		echo $extra; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- callers pass escaped markup.
		echo '<button type="submit" class="' . esc_attr( $classes ) . '">' . esc_html( $label ) . '</button>';
		echo '</form>';
	}

	/**
	 * A stored GMT time in the site's format and time zone.
	 *
	 * @param string|null $gmt MySQL datetime in GMT.
	 * @return string
	 */
	public static function local_time( $gmt ) {
		if ( ! $gmt ) {
			return '—';
		}
		return wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), strtotime( $gmt . ' UTC' ) );
	}

	/**
	 * Refuse users without the capability or without a valid nonce for this action.
	 *
	 * @param string $action The action (also the nonce action).
	 */
	private static function guard( $action ) {
		if ( ! current_user_can( self::capability() ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage CrisisDesk.', 'crisisdesk-bridge' ), 403 );
		}
		check_admin_referer( $action );
	}

	/**
	 * Keep a notice for the page, go back to it, and stop.
	 *
	 * @param string $type    "success", "warning" or "error".
	 * @param string $message Plain text.
	 */
	private static function finish( $type, $message ) {
		set_transient(
			'crisisdesk_notice_' . get_current_user_id(),
			array(
				'type'    => $type,
				'message' => $message,
			),
			5 * MINUTE_IN_SECONDS
		);
		wp_safe_redirect( self::page_url() );
		exit;
	}

	/** @return array|null The acting user's pending notice, removed once read. */
	private static function take_notice() {
		$key    = 'crisisdesk_notice_' . get_current_user_id();
		$notice = get_transient( $key );
		delete_transient( $key );
		return is_array( $notice ) ? $notice : null;
	}
}

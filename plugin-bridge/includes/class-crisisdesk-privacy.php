<?php
/**
 * WordPress's personal-data exporter and eraser, forwarded to CrisisDesk.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * When the shop answers a customer's export or erasure request (Tools → Export/Erase Personal
 * Data), CrisisDesk's copy of that customer's cases, orders and reviews is exported or anonymised
 * too. The service answers in WordPress's own shapes, so this class only forwards and checks.
 */
final class CrisisDesk_Privacy {

	const ID = 'crisisdesk-bridge';

	/** Register the exporter, the eraser, and the privacy policy text. */
	public static function register() {
		add_filter( 'wp_privacy_personal_data_exporters', array( __CLASS__, 'add_exporter' ) );
		add_filter( 'wp_privacy_personal_data_erasers', array( __CLASS__, 'add_eraser' ) );
		add_action( 'admin_init', array( __CLASS__, 'add_policy_text' ) );
	}

	/**
	 * @param array $exporters Registered exporters.
	 * @return array
	 */
	public static function add_exporter( $exporters ) {
		$exporters[ self::ID ] = array(
			'exporter_friendly_name' => __( 'CrisisDesk', 'crisisdesk-bridge' ),
			'callback'               => array( __CLASS__, 'export' ),
		);
		return $exporters;
	}

	/**
	 * @param array $erasers Registered erasers.
	 * @return array
	 */
	public static function add_eraser( $erasers ) {
		$erasers[ self::ID ] = array(
			'eraser_friendly_name' => __( 'CrisisDesk', 'crisisdesk-bridge' ),
			'callback'             => array( __CLASS__, 'erase' ),
		);
		return $erasers;
	}

	/**
	 * What CrisisDesk holds about this email address.
	 *
	 * @param string $email The customer's email.
	 * @param int    $page  WordPress pages exporters; the service answers everything at once.
	 * @return array|WP_Error
	 */
	public static function export( $email, $page = 1 ) {
		$answer = self::forward( 'privacy_export', $email );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( null === $answer ) {
			return array(
				'data' => array(),
				'done' => true,
			);
		}
		$items = array();
		foreach ( isset( $answer['items'] ) && is_array( $answer['items'] ) ? $answer['items'] : array() as $item ) {
			if ( ! is_array( $item ) || empty( $item['group_id'] ) || empty( $item['item_id'] ) || ! isset( $item['data'] ) || ! is_array( $item['data'] ) ) {
				continue;
			}
			$data = array();
			foreach ( $item['data'] as $pair ) {
				if ( is_array( $pair ) && isset( $pair['name'], $pair['value'] ) && is_scalar( $pair['value'] ) ) {
					$data[] = array(
						'name'  => (string) $pair['name'],
						'value' => (string) $pair['value'],
					);
				}
			}
			$items[] = array(
				'group_id'    => sanitize_key( $item['group_id'] ),
				'group_label' => isset( $item['group_label'] ) ? (string) $item['group_label'] : __( 'CrisisDesk', 'crisisdesk-bridge' ),
				'item_id'     => sanitize_key( $item['item_id'] ),
				'data'        => $data,
			);
		}
		return array(
			'data' => $items,
			'done' => true,
		);
	}

	/**
	 * Anonymise this email address's records at CrisisDesk.
	 *
	 * @param string $email The customer's email.
	 * @param int    $page  WordPress pages erasers; the service erases everything at once.
	 * @return array|WP_Error
	 */
	public static function erase( $email, $page = 1 ) {
		$answer = self::forward( 'privacy_erase', $email );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( null === $answer ) {
			return array(
				'items_removed'  => false,
				'items_retained' => false,
				'messages'       => array( __( 'The CrisisDesk bridge is not connected, so nothing was sent to CrisisDesk.', 'crisisdesk-bridge' ) ),
				'done'           => true,
			);
		}
		$messages = array();
		foreach ( isset( $answer['messages'] ) && is_array( $answer['messages'] ) ? $answer['messages'] : array() as $message ) {
			if ( is_string( $message ) ) {
				$messages[] = $message;
			}
		}
		return array(
			'items_removed'  => ! empty( $answer['items_removed'] ),
			'items_retained' => ! empty( $answer['items_retained'] ),
			'messages'       => $messages,
			'done'           => true,
		);
	}

	/** Tell the site owner what the plugin shares, for their privacy policy. */
	public static function add_policy_text() {
		if ( function_exists( 'wp_add_privacy_policy_content' ) ) {
			wp_add_privacy_policy_content(
				__( 'CrisisDesk', 'crisisdesk-bridge' ),
				wp_kses_post( wpautop( __( 'When you place an order or write a product review, this shop sends the order (with your name, email and addresses) and the review to CrisisDesk, the service the shop uses to answer complaints. CrisisDesk keeps them to handle your case and may email you about it. You can ask the shop to export or erase this data.', 'crisisdesk-bridge' ) ) )
			);
		}
	}

	/**
	 * Call the service.
	 *
	 * @param string $method Client method.
	 * @param string $email  The customer's email.
	 * @return array|null|WP_Error The JSON answer, null when the bridge is not configured.
	 */
	private static function forward( $method, $email ) {
		$email = sanitize_email( $email );
		if ( ! is_email( $email ) ) {
			return new WP_Error( 'crisisdesk_invalid_email', __( 'A valid email address is required.', 'crisisdesk-bridge' ) );
		}
		$client = CrisisDesk_Service_Client::from_config();
		if ( is_wp_error( $client ) ) {
			return null;
		}
		$answer = $client->$method( $email );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( 200 !== $answer['status'] || ! is_array( $answer['body'] ) ) {
			/* translators: %s: the service's answer. */
			return new WP_Error( 'crisisdesk_privacy_failed', sprintf( __( 'CrisisDesk could not complete the request: %s', 'crisisdesk-bridge' ), $answer['error'] ) );
		}
		return $answer['body'];
	}
}

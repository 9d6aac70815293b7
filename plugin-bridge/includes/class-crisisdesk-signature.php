<?php
/**
 * Standard Webhooks signatures, the scheme both directions use (SPEC section 3).
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * `webhook-signature` = "v1," + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), where the key is the
 * base64-decoded part of the "whsec_..." secret, exactly as the Standard Webhooks libraries do.
 */
final class CrisisDesk_Signature {

	/** Seconds a signed message stays valid either side of our clock. */
	const TOLERANCE = 300;

	const PREFIX = 'whsec_';

	/**
	 * The HMAC key inside a secret.
	 *
	 * @param string $secret "whsec_" + base64 of at least 24 random bytes.
	 * @return string|false The raw key, or false when the secret is malformed.
	 */
	public static function key_from_secret( $secret ) {
		$secret = (string) $secret;
		if ( 0 !== strpos( $secret, self::PREFIX ) ) {
			return false;
		}
		$key = base64_decode( substr( $secret, strlen( self::PREFIX ) ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- the secret's documented encoding.
		if ( false === $key || strlen( $key ) < 24 ) {
			return false;
		}
		return $key;
	}

	/**
	 * One "v1,..." signature.
	 *
	 * @param string $secret    The shared secret.
	 * @param string $id        The webhook-id.
	 * @param int    $timestamp Unix seconds.
	 * @param string $body      The exact bytes sent.
	 * @return string
	 */
	public static function sign( $secret, $id, $timestamp, $body ) {
		$key = self::key_from_secret( $secret );
		if ( false === $key ) {
			throw new InvalidArgumentException( 'The CrisisDesk secret must be "whsec_" followed by base64.' );
		}
		$mac = hash_hmac( 'sha256', $id . '.' . $timestamp . '.' . $body, $key, true );
		return 'v1,' . base64_encode( $mac ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the scheme's encoding.
	}

	/**
	 * The three headers for a message, signed now.
	 *
	 * @param string      $secret    The shared secret.
	 * @param string      $body      The exact bytes sent.
	 * @param string|null $id        A stable webhook-id (retries of one event reuse it), or null for a new one.
	 * @param int|null    $timestamp Unix seconds, or null for now.
	 * @return array<string,string>
	 */
	public static function headers( $secret, $body, $id = null, $timestamp = null ) {
		$id        = null === $id ? self::new_id() : $id;
		$timestamp = null === $timestamp ? time() : (int) $timestamp;
		return array(
			'webhook-id'        => $id,
			'webhook-timestamp' => (string) $timestamp,
			'webhook-signature' => self::sign( $secret, $id, $timestamp, $body ),
		);
	}

	/** @return string A fresh message id, "msg_" + 32 hex characters. */
	public static function new_id() {
		return 'msg_' . str_replace( '-', '', wp_generate_uuid4() );
	}

	/**
	 * Check a signed message; every failure is a 401 that says which rule failed.
	 *
	 * @param string   $secret    The shared secret.
	 * @param string   $id        The webhook-id header.
	 * @param string   $timestamp The webhook-timestamp header.
	 * @param string   $signature The webhook-signature header (space-separated "v1,..." entries).
	 * @param string   $body      The raw body.
	 * @param int|null $now       Unix seconds, or null for now.
	 * @return true|WP_Error
	 */
	public static function verify( $secret, $id, $timestamp, $signature, $body, $now = null ) {
		if ( '' === (string) $id || '' === (string) $timestamp || '' === (string) $signature ) {
			return self::refuse( 'crisisdesk_signature_missing', __( 'The webhook-id, webhook-timestamp and webhook-signature headers are required.', 'crisisdesk-bridge' ) );
		}
		if ( false === self::key_from_secret( $secret ) ) {
			return new WP_Error( 'crisisdesk_not_configured', __( 'The CrisisDesk bridge has no valid shared secret yet.', 'crisisdesk-bridge' ), array( 'status' => 503 ) );
		}
		if ( ! preg_match( '/^\d{1,12}$/', (string) $timestamp ) ) {
			return self::refuse( 'crisisdesk_timestamp_invalid', __( 'The webhook-timestamp header must be Unix seconds.', 'crisisdesk-bridge' ) );
		}
		$now = null === $now ? time() : (int) $now;
		if ( abs( $now - (int) $timestamp ) > self::TOLERANCE ) {
			return self::refuse( 'crisisdesk_timestamp_stale', __( 'The webhook-timestamp is more than 5 minutes away from this site\'s clock.', 'crisisdesk-bridge' ) );
		}
		$expected = self::sign( $secret, $id, $timestamp, $body );
		foreach ( preg_split( '/\s+/', trim( (string) $signature ) ) as $candidate ) {
			if ( hash_equals( $expected, $candidate ) ) {
				return true;
			}
		}
		return self::refuse( 'crisisdesk_signature_invalid', __( 'No signature matches the shared secret.', 'crisisdesk-bridge' ) );
	}

	/**
	 * A 401 error.
	 *
	 * @param string $code    Error code.
	 * @param string $message Error message.
	 * @return WP_Error
	 */
	private static function refuse( $code, $message ) {
		return new WP_Error( $code, $message, array( 'status' => 401 ) );
	}
}

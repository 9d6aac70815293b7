<?php
/**
 * Where the bridge reads its configuration: wp-config.php constants first, then options.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * The service URL, shop id and shared secret (SPEC section 6, "Bridge configuration").
 *
 * A constant defined in wp-config.php wins over the option of the same name, so a host can keep
 * the secret out of the database; the settings page then shows that field as fixed.
 */
final class CrisisDesk_Config {

	const SETTINGS = array(
		'service_url' => array( 'option' => 'crisisdesk_service_url', 'constant' => 'CRISISDESK_SERVICE_URL' ),
		'shop_id'     => array( 'option' => 'crisisdesk_shop_id', 'constant' => 'CRISISDESK_SHOP_ID' ),
		'secret'      => array( 'option' => 'crisisdesk_secret', 'constant' => 'CRISISDESK_SECRET' ),
	);

	/** The user replies are posted as, and whose rights read orders and reviews for events. */
	const REPLY_USER_OPTION = 'crisisdesk_reply_user_id';

	/**
	 * A setting's raw value.
	 *
	 * @param string $name One of the keys of SETTINGS.
	 * @return string
	 */
	public static function get( $name ) {
		$setting = self::SETTINGS[ $name ];
		if ( defined( $setting['constant'] ) ) {
			return trim( (string) constant( $setting['constant'] ) );
		}
		return trim( (string) get_option( $setting['option'], '' ) );
	}

	/**
	 * True when wp-config.php fixes this setting.
	 *
	 * @param string $name One of the keys of SETTINGS.
	 * @return bool
	 */
	public static function is_fixed( $name ) {
		return defined( self::SETTINGS[ $name ]['constant'] );
	}

	/** @return string The service's base URL without a trailing slash. */
	public static function service_url() {
		return untrailingslashit( self::get( 'service_url' ) );
	}

	/** @return int */
	public static function shop_id() {
		return absint( self::get( 'shop_id' ) );
	}

	/** @return string */
	public static function secret() {
		return self::get( 'secret' );
	}

	/** @return bool True when the bridge knows where to send events and how to sign them. */
	public static function is_configured() {
		return '' !== self::service_url() && self::shop_id() > 0 && false !== CrisisDesk_Signature::key_from_secret( self::secret() );
	}

	/**
	 * The secret as the settings page may show it: never more than its last four characters.
	 *
	 * @return string
	 */
	public static function masked_secret() {
		$secret = self::secret();
		if ( '' === $secret ) {
			return '';
		}
		// A secret too short to be real (a typo in wp-config.php) is not shown even in part.
		return strlen( $secret ) < 16 ? 'whsec_…' : 'whsec_…' . substr( $secret, -4 );
	}

	/**
	 * What the reply user must be allowed: to moderate reviews (replies are posted as them) and,
	 * where WooCommerce runs, to read orders (events are read with their rights).
	 *
	 * @return string[]
	 */
	public static function reply_user_capabilities() {
		$caps = array( 'moderate_comments' );
		if ( class_exists( 'WooCommerce' ) ) {
			$caps[] = 'read_private_shop_orders';
		}
		return $caps;
	}

	/**
	 * Whether a user may be the reply user.
	 *
	 * @param int $user_id User id.
	 * @return bool
	 */
	public static function can_be_reply_user( $user_id ) {
		$user = get_userdata( absint( $user_id ) );
		if ( ! $user ) {
			return false;
		}
		foreach ( self::reply_user_capabilities() as $cap ) {
			if ( ! user_can( $user, $cap ) ) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The users who may be the reply user, for the settings page's list. (WP_User_Query's
	 * "capability" with several capabilities misses roles that hold more than one of them in
	 * WordPress 6.1, so the list is narrowed here.)
	 *
	 * @return int[]
	 */
	public static function reply_user_candidates() {
		$ids = get_users(
			array(
				'capability' => 'moderate_comments',
				'fields'     => 'ID',
				'orderby'    => 'display_name',
			)
		);
		return array_values( array_filter( array_map( 'intval', $ids ), array( __CLASS__, 'can_be_reply_user' ) ) );
	}

	/**
	 * The configured shop user, falling back to the oldest administrator when none is chosen, or
	 * when the chosen one was deleted or has lost the rights (a customer never speaks for the shop).
	 *
	 * @return int A user id, or 0 when the site has no usable user.
	 */
	public static function reply_user_id() {
		$user_id = absint( get_option( self::REPLY_USER_OPTION, 0 ) );
		if ( $user_id && self::can_be_reply_user( $user_id ) ) {
			return $user_id;
		}
		$admins = get_users(
			array(
				'role'    => 'administrator',
				'orderby' => 'ID',
				'order'   => 'ASC',
				'number'  => 1,
				'fields'  => 'ID',
			)
		);
		return $admins ? (int) $admins[0] : 0;
	}
}

<?php
/**
 * WooCommerce stand-in (tests only): WC_DateTime and the date helpers of
 * includes/class-wc-datetime.php, includes/wc-formatting-functions.php and
 * includes/wc-rest-functions.php (wc_rest_prepare_date_response), WooCommerce 7.9.
 */

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce's DateTime: a DateTime in the site's timezone, printed as ISO 8601.
 */
class WC_DateTime extends DateTime {

	/**
	 * UTC offset, if the timezone was set by offset.
	 *
	 * @var int|null
	 */
	protected $utc_offset = 0;

	/**
	 * ISO 8601 (DATE_ATOM), as WooCommerce prints it.
	 *
	 * @return string
	 */
	public function __toString() {
		return $this->format( DATE_ATOM );
	}

	/**
	 * Set UTC offset.
	 *
	 * @param int $offset Offset in seconds.
	 */
	public function set_utc_offset( $offset ) {
		$this->utc_offset = intval( $offset );
	}

	/**
	 * Timestamp with the offset applied.
	 *
	 * @return int
	 */
	public function getOffsetTimestamp() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.MethodNameInvalid
		return $this->getTimestamp() + $this->getOffset();
	}

	/**
	 * Format a date based on the offset timestamp.
	 *
	 * @param string $format Date format.
	 * @return string
	 */
	public function date( $format ) {
		return gmdate( $format, $this->getOffsetTimestamp() );
	}

	/**
	 * Return a localised date based on the offset timestamp.
	 *
	 * @param string $format Date format.
	 * @return string
	 */
	public function date_i18n( $format = 'Y-m-d' ) {
		return date_i18n( $format, $this->getOffsetTimestamp() );
	}
}

if ( ! function_exists( 'wc_timezone_string' ) ) {
	/**
	 * The site's timezone as a string usable by DateTimeZone.
	 *
	 * @return string
	 */
	function wc_timezone_string() {
		return wp_timezone_string();
	}
}

if ( ! function_exists( 'wc_string_to_datetime' ) ) {
	/**
	 * A date string (in UTC unless it carries its own zone) as a WC_DateTime in the site's timezone.
	 *
	 * @param string $time_string Time string.
	 * @return WC_DateTime
	 */
	function wc_string_to_datetime( $time_string ) {
		$datetime = new WC_DateTime( $time_string, new DateTimeZone( 'UTC' ) );
		$datetime->setTimezone( new DateTimeZone( wc_timezone_string() ) );
		return $datetime;
	}
}

if ( ! function_exists( 'wc_standin_datetime' ) ) {
	/**
	 * A Unix timestamp as a WC_DateTime in the site's timezone (null for null).
	 *
	 * @param int|null $timestamp Timestamp.
	 * @return WC_DateTime|null
	 */
	function wc_standin_datetime( $timestamp ) {
		if ( null === $timestamp || '' === $timestamp ) {
			return null;
		}
		$datetime = new WC_DateTime( '@' . (int) $timestamp, new DateTimeZone( 'UTC' ) );
		$datetime->setTimezone( new DateTimeZone( wc_timezone_string() ) );
		return $datetime;
	}
}

if ( ! function_exists( 'wc_rest_prepare_date_response' ) ) {
	/**
	 * Parses and formats a date for ISO8601/RFC3339, as includes/wc-rest-functions.php does.
	 * A string is read as UTC; $utc false gives the site's local time.
	 *
	 * @param string|int|null|WC_DateTime $date Date.
	 * @param bool                        $utc  False for local time.
	 * @return string|null
	 */
	function wc_rest_prepare_date_response( $date, $utc = true ) {
		if ( is_numeric( $date ) ) {
			$date = new WC_DateTime( "@$date", new DateTimeZone( 'UTC' ) );
			$date->setTimezone( new DateTimeZone( wc_timezone_string() ) );
		} elseif ( is_string( $date ) ) {
			$date = new WC_DateTime( $date, new DateTimeZone( 'UTC' ) );
			$date->setTimezone( new DateTimeZone( wc_timezone_string() ) );
		}

		if ( ! is_a( $date, 'WC_DateTime' ) ) {
			return null;
		}

		return gmdate( 'Y-m-d\TH:i:s', $utc ? $date->getTimestamp() : $date->getOffsetTimestamp() );
	}
}

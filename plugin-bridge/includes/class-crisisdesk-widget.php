<?php
/**
 * The dashboard widget: open and overdue cases, negative reviews this week, alerts.
 *
 * @package CrisisDesk_Bridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads the service's summary with a short timeout and caches it briefly, failures included, so
 * the dashboard never waits more than once a minute on a service that is down.
 */
final class CrisisDesk_Widget {

	const CACHE_KEY         = 'crisisdesk_summary';
	const LAST_GOOD_OPTION  = 'crisisdesk_summary_last_good';
	const CACHE_SECONDS     = 120;
	const FAILURE_SECONDS   = 60;
	const TIMEOUT           = 3;

	/** Hook the widget in. */
	public static function register() {
		add_action( 'wp_dashboard_setup', array( __CLASS__, 'add_widget' ) );
	}

	/**
	 * For the people who run the shop (shop managers and administrators): the figures are the
	 * shop's, and the link leads into the CrisisDesk panel. An editor who may moderate comments
	 * does not see them.
	 */
	public static function add_widget() {
		if ( current_user_can( CrisisDesk_Admin::capability() ) ) {
			wp_add_dashboard_widget( 'crisisdesk_summary', __( 'CrisisDesk', 'crisisdesk-bridge' ), array( __CLASS__, 'render' ) );
		}
	}

	/** Print the widget. */
	public static function render() {
		echo self::html( self::summary() ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- html() escapes.
	}

	/**
	 * The summary, from the cache or the service.
	 *
	 * @return array{ok:bool,configured:bool,data:?array,error:string,fetched_at:int}
	 */
	public static function summary() {
		$cached = get_transient( self::CACHE_KEY );
		if ( is_array( $cached ) ) {
			return $cached;
		}
		$client = CrisisDesk_Service_Client::from_config();
		if ( is_wp_error( $client ) ) {
			return self::result( false, null, $client->get_error_message(), false );
		}
		$answer = $client->summary( self::TIMEOUT );
		if ( is_wp_error( $answer ) ) {
			$result = self::result( false, null, $answer->get_error_message() );
		} elseif ( 200 !== $answer['status'] || ! is_array( $answer['body'] ) ) {
			$result = self::result( false, null, $answer['error'] ? $answer['error'] : __( 'CrisisDesk sent an answer this plugin does not understand.', 'crisisdesk-bridge' ) );
		} else {
			$result = self::result( true, self::clean( $answer['body'] ), '' );
			update_option( self::LAST_GOOD_OPTION, $result, false );
		}
		set_transient( self::CACHE_KEY, $result, $result['ok'] ? self::CACHE_SECONDS : self::FAILURE_SECONDS );
		return $result;
	}

	/**
	 * The widget's markup for a summary.
	 *
	 * @param array $summary From summary().
	 * @return string
	 */
	public static function html( array $summary ) {
		if ( ! $summary['configured'] ) {
			return '<p class="crisisdesk-widget-setup">' . esc_html__( 'CrisisDesk is not connected yet.', 'crisisdesk-bridge' )
				. ' <a href="' . esc_url( CrisisDesk_Admin::page_url() ) . '">' . esc_html__( 'Connect it', 'crisisdesk-bridge' ) . '</a></p>';
		}
		$out  = '';
		$data = $summary['data'];
		if ( ! $summary['ok'] ) {
			$out .= '<div class="notice notice-warning inline crisisdesk-widget-down"><p>'
				/* translators: %s: the reason. */
				. esc_html( sprintf( __( 'CrisisDesk is not answering right now (%s).', 'crisisdesk-bridge' ), $summary['error'] ) );
			$last = get_option( self::LAST_GOOD_OPTION );
			if ( is_array( $last ) && ! empty( $last['data'] ) ) {
				$data = $last['data'];
				/* translators: %s: date and time. */
				$out .= ' ' . esc_html( sprintf( __( 'Figures as of %s.', 'crisisdesk-bridge' ), wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $last['fetched_at'] ) ) );
			}
			$out .= '</p></div>';
		}
		if ( ! $data ) {
			return $out;
		}
		$figures = array(
			'open_cases'          => __( 'Open cases', 'crisisdesk-bridge' ),
			'overdue_cases'       => __( 'Overdue', 'crisisdesk-bridge' ),
			'negative_reviews_7d' => __( 'Negative reviews this week', 'crisisdesk-bridge' ),
		);
		$out .= '<ul class="crisisdesk-figures">';
		foreach ( $figures as $key => $label ) {
			$out .= '<li class="crisisdesk-' . esc_attr( str_replace( '_', '-', $key ) ) . '"><strong>' . esc_html( number_format_i18n( $data[ $key ] ) ) . '</strong> ' . esc_html( $label ) . '</li>';
		}
		$out .= '</ul>';
		if ( $data['alerts'] ) {
			$out .= '<div class="notice notice-error inline crisisdesk-alerts"><ul>';
			foreach ( $data['alerts'] as $alert ) {
				$out .= '<li>' . esc_html( $alert ) . '</li>';
			}
			$out .= '</ul></div>';
		}
		if ( $data['panel_url'] ) {
			$out .= '<p><a class="button button-primary" href="' . esc_url( $data['panel_url'] ) . '" target="_blank" rel="noopener noreferrer">' . esc_html__( 'Open the CrisisDesk panel', 'crisisdesk-bridge' ) . '</a></p>';
		}
		return $out;
	}

	/**
	 * Keep only what the widget shows, in the types it expects (the answer is remote input).
	 *
	 * @param array $body The service's JSON.
	 * @return array{open_cases:int,overdue_cases:int,negative_reviews_7d:int,alerts:string[],panel_url:string}
	 */
	private static function clean( array $body ) {
		$alerts = array();
		foreach ( isset( $body['alerts'] ) && is_array( $body['alerts'] ) ? $body['alerts'] : array() as $alert ) {
			if ( is_string( $alert ) ) {
				$alerts[] = $alert;
			} elseif ( is_array( $alert ) ) {
				foreach ( array( 'message', 'title', 'summary' ) as $key ) {
					if ( isset( $alert[ $key ] ) && is_string( $alert[ $key ] ) ) {
						$alerts[] = $alert[ $key ];
						break;
					}
				}
			}
		}
		$panel_url = isset( $body['panel_url'] ) && is_string( $body['panel_url'] ) ? esc_url_raw( $body['panel_url'], array( 'http', 'https' ) ) : '';
		return array(
			'open_cases'          => isset( $body['open_cases'] ) ? absint( $body['open_cases'] ) : 0,
			'overdue_cases'       => isset( $body['overdue_cases'] ) ? absint( $body['overdue_cases'] ) : 0,
			'negative_reviews_7d' => isset( $body['negative_reviews_7d'] ) ? absint( $body['negative_reviews_7d'] ) : 0,
			'alerts'              => array_slice( $alerts, 0, 5 ),
			'panel_url'           => $panel_url,
		);
	}

	/**
	 * One summary record.
	 *
	 * @param bool       $ok         Whether the service answered well.
	 * @param array|null $data       Cleaned figures.
	 * @param string     $error      Why not.
	 * @param bool       $configured Whether the bridge is configured.
	 * @return array
	 */
	private static function result( $ok, $data, $error, $configured = true ) {
		return array(
			'ok'         => $ok,
			'configured' => $configured,
			'data'       => $data,
			'error'      => $error,
			'fetched_at' => time(),
		);
	}
}

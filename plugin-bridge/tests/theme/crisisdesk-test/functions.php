<?php
/**
 * CrisisDesk test theme: only what the storefront pages used by the tests need.
 */

add_action(
	'after_setup_theme',
	static function () {
		add_theme_support( 'title-tag' );
		add_theme_support( 'html5', array( 'comment-form', 'comment-list' ) );
	}
);

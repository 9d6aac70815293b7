# Sourced by scripts/test (after _venv.sh): what the tests need from Debian, installed when
# missing and the script runs as root, else a clear message. Services are started only when
# they are installed but not answering.

# install_debian_packages PURPOSE PACKAGE...: apt-get install the ones not installed yet.
install_debian_packages() {
    local purpose="$1"; shift
    local missing=() package
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "installing Debian packages for $purpose: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        die "$purpose need these Debian packages; install them first: sudo apt-get install ${missing[*]}"
    fi
}

# The bridge's PHPUnit tests and the WordPress end-to-end test: PHP, phpunit, WordPress, MariaDB.
WORDPRESS_TEST_PACKAGES=(php-cli php-mysql php-curl php-xml php-mbstring phpunit wordpress mariadb-server mariadb-client)

mariadb_login_works() {
    mariadb --protocol=tcp -h "$CRISISDESK_WP_DB_HOST" -u "$CRISISDESK_WP_DB_USER" \
        ${CRISISDESK_WP_DB_PASSWORD:+-p"$CRISISDESK_WP_DB_PASSWORD"} -e 'SELECT 1' >/dev/null 2>&1
}

# MariaDB answering on $CRISISDESK_WP_DB_HOST (127.0.0.1) as $CRISISDESK_WP_DB_USER (root, no password).
ensure_mariadb() {
    export CRISISDESK_WP_DB_HOST="${CRISISDESK_WP_DB_HOST:-127.0.0.1}"
    export CRISISDESK_WP_DB_USER="${CRISISDESK_WP_DB_USER:-root}"
    mariadb_login_works && return 0
    if ! mariadb-admin ping >/dev/null 2>&1 && [[ "$CRISISDESK_WP_DB_HOST" == 127.0.0.1 ]]; then
        [[ $EUID -eq 0 ]] || die "MariaDB is not running; start it (sudo service mariadb start) or set CRISISDESK_WP_DB_HOST"
        say "starting MariaDB"
        install -d -o mysql -g mysql /run/mysqld
        start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
        for _ in $(seq 1 60); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 0.5; done
        mariadb-admin ping >/dev/null 2>&1 || die "MariaDB did not start"
    fi
    mariadb_login_works && return 0
    # A fresh Debian MariaDB lets root in only through its socket: give the tests a user of their
    # own, limited to the throw-away databases they create (crisisdesk_wp_test*).
    if [[ $EUID -eq 0 && "$CRISISDESK_WP_DB_USER" == root ]] && mariadb -e 'SELECT 1' >/dev/null 2>&1; then
        say "adding the MariaDB user crisisdesk_test@127.0.0.1 for the throw-away WordPress databases"
        mariadb -e "CREATE USER IF NOT EXISTS 'crisisdesk_test'@'127.0.0.1';
                    GRANT ALL PRIVILEGES ON \`crisisdesk\\_wp\\_test%\`.* TO 'crisisdesk_test'@'127.0.0.1';"
        export CRISISDESK_WP_DB_USER=crisisdesk_test
        mariadb_login_works && return 0
    fi
    die "cannot log in to MariaDB at $CRISISDESK_WP_DB_HOST as $CRISISDESK_WP_DB_USER; set CRISISDESK_WP_DB_USER and CRISISDESK_WP_DB_PASSWORD"
}

// libpq, PostgreSQL's C client. pkg-config libpq adds -I/usr/include/postgresql.
#include <libpq-fe.h>

-- One database per service (DESIGN.md §2: a service never reads another's database).
-- Run once by the postgres image on first start (docker-entrypoint-initdb.d).
CREATE DATABASE shuangjian_registry;
CREATE DATABASE shuangjian_scheduling;
CREATE DATABASE shuangjian_inspection;
CREATE DATABASE shuangjian_notification;

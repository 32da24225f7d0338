alter table `services` modify `uptime` mediumtext null;
alter table `compute_nodes` modify `cpu_info` mediumtext null;

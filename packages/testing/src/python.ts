/**
 * Debian's interpreter: OpenStack's Debian packages (python3-nova, python3-keystone, python3-tempest) live in
 * its dist-packages, which a pyenv `python3` earlier on PATH does not see.
 */
export const PYTHON = process.env.OSH_PYTHON ?? '/usr/bin/python3';

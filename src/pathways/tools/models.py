"""Tools for the hard hour, each the person's own: a cost-benefit worksheet, a wellness toolbox and daily"""
